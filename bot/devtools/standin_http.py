"""The stand-in's HTTP side: parse Slack-style requests, apply faults, dispatch, record."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.devtools import (
    standin_chat,
    standin_conversations,
    standin_directory,
    standin_pins,
    standin_views,
)
from bot.devtools.standin_common import Handler, Params, error, ok
from bot.devtools.standin_state import (
    Failure,
    HttpReply,
    RecordedCall,
    StandInState,
    Workspace,
    resolve_channel,
)

logger = logging.getLogger(__name__)

METHODS: dict[str, Handler] = {
    **standin_directory.METHODS,
    **standin_chat.METHODS,
    **standin_conversations.METHODS,
    **standin_pins.METHODS,
    **standin_views.METHODS,
}
RESPONSE_URL_METHOD = "response_url"
_JSON_VALUED = ("blocks", "view", "attachments", "metadata")

CallListener = Callable[[RecordedCall], None]


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    throttled: bool = False  # refused by the rate limits


def parse_params(query: str, content_type: str, body: bytes) -> Params:
    """Merge query-string, form and JSON input the way the Web API accepts them."""
    params: Params = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
    if body and media_type == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        params.update(decoded)
    elif body and media_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    for key in _JSON_VALUED:
        # Form-encoded clients send structured arguments as JSON strings.
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


def _failure_reply(failure: Failure) -> Reply:
    """The answer for an injected failure: 429 + Retry-After, or a bare server error."""
    if failure.status == 429:
        retry_after = 1 if failure.retry_after is None else failure.retry_after
        return Reply(429, error("ratelimited"), {"Retry-After": str(retry_after)})
    code = "internal_error" if failure.status >= 500 else "fatal_error"
    return Reply(failure.status, error(code))


class Dispatcher:
    """Answers one call at a time under the state lock and records it."""

    def __init__(self, state: StandInState, bot_token: str) -> None:
        self.state = state
        self.bot_token = bot_token
        self.listeners: list[CallListener] = []

    def call(self, method: str, params: Params, token: str | None, *, auth: bool = True) -> Reply:
        """Answer one call: injected stall, injected failure, auth, rate limit, the method."""
        arrived = time.monotonic()
        delay = self.state.take_stall(method)
        if delay > 0:
            time.sleep(delay)
        with self.state.lock:
            self.state.limiter.count_call(method)
            failure = self.state.take_failure(method)
            if failure is not None:
                reply = _failure_reply(failure)
            else:
                reply = self._answer(method, params, token if auth else self.bot_token)
            recorded = RecordedCall(
                method,
                copy.deepcopy(params),
                arrived,
                reply.status,
                reply.body.get("error"),
                reply.throttled,
            )
            self.state.calls.append(recorded)
            self.state.changed.notify_all()
        self._notify(recorded)
        return reply

    def _notify(self, recorded: RecordedCall) -> None:
        """Tell listeners; a failing listener is logged and must not cost the caller its answer."""
        for listener in list(self.listeners):
            try:
                listener(recorded)
            except Exception:
                logger.exception("stand-in call listener failed on %s", recorded.method)

    def _answer(self, method: str, params: Params, token: str | None) -> Reply:
        """Authenticate, apply the rate limits and run the method handler (lock held)."""
        if not token:
            return Reply(200, error("not_authed"))
        if token != self.bot_token:
            return Reply(200, error("invalid_auth"))
        handler = _response_url if method == RESPONSE_URL_METHOD else METHODS.get(method)
        if handler is None:
            return Reply(200, error("unknown_method"))
        channel = resolve_channel(str(params.get("channel") or ""))
        retry_after = self.state.limiter.admit(method, channel=channel)
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after)}
            return Reply(429, error("ratelimited"), headers, throttled=True)
        try:
            return Reply(200, handler(self.state.workspace, params))
        except HttpReply as reply:
            return Reply(reply.status, reply.body, reply.headers)
        except Exception:
            # A stand-in bug must not look like an app bug: answer 500 and log it loudly.
            logger.exception("stand-in failed on %s", method)
            return Reply(500, error("internal_error"))


def _response_url(ws: Workspace, params: Params) -> dict[str, Any]:
    """A POST to a response_url: validate like a message and keep it for tests."""
    if not params.get("delete_original"):
        problem = standin_chat.content_problem(params)
        if problem is not None:
            return problem
    ws.responses.append(copy.deepcopy(params))
    return ok()


class StandInServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its dispatcher."""

    daemon_threads = True
    # socketserver's default backlog of 5 drops bursts of concurrent clients into 1 s SYN retries.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        super().__init__(address, StandInRequestHandler)
        self.dispatcher = dispatcher

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up first (a timeout test); report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class StandInRequestHandler(BaseHTTPRequestHandler):
    """Routes /api/<method> and /response/<id> to the dispatcher."""

    server: StandInServer

    def do_GET(self) -> None:
        """GET: query-string parameters only."""
        self._serve()

    def do_POST(self) -> None:
        """POST: JSON or form body, plus the query string."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the call log is the record."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type", "")
        try:
            params = parse_params(url.query, content_type, body)
        except ValueError:
            self._send(Reply(200, error("invalid_json")))
            return
        if url.path.startswith("/api/"):
            token = _bearer(self.headers.get("Authorization"))
            param_token = params.pop("token", None)
            reply = self.server.dispatcher.call(url.path[5:], params, token or param_token)
        elif url.path.startswith("/response/"):
            params["url"] = url.path
            reply = self.server.dispatcher.call(RESPONSE_URL_METHOD, params, None, auth=False)
        else:
            reply = Reply(404, error("not_found"))
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def _bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
