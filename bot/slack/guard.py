"""Before Bolt: a signed request in a shape Bolt and the listeners can read, or a short 4xx.

The signature is checked first, on the raw bytes, so unsigned junk gets 401 whatever it
holds. A signed body that is not UTF-8, not JSON or a form, not an object, nested too
deeply, or whose fields have types Slack never sends gets 400: Bolt would fail on it with
a 500, and Slack would retry it in vain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request import payload_utils as bolt_reads
from slack_bolt.request.internals import build_context

from bot.clock import real_time
from bot.slack.payload_shapes import shape_problem

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

log = logging.getLogger(__name__)

# Slack's bodies are small: a 40,000-character message with its blocks stays far below.
MAX_BODY_BYTES = 2 * 1024 * 1024
# Slack refuses older requests too (a captured request cannot be replayed later).
MAX_AGE_SECONDS = 5 * 60
_STAMP = re.compile(r"\d{1,12}")
# What Bolt reads from every body before any listener runs (its listener arguments).
_BOLT_READERS = (
    bolt_reads.to_options,
    bolt_reads.to_shortcut,
    bolt_reads.to_action,
    bolt_reads.to_view,
    bolt_reads.to_command,
    bolt_reads.to_event,
    bolt_reads.to_message,
    bolt_reads.to_step,
)


@dataclass(frozen=True)
class Refusal:
    """A request not for Bolt: the status and a short reason (the whole answer body)."""

    status: int
    reason: str


class RequestGuard:
    """Admits a request to Bolt only when it is signed and Bolt can read it."""

    def __init__(self, signing_secret: str, *, now: Callable[[], float] = real_time) -> None:
        self._secret = signing_secret.encode()
        self._now = now

    def admit(self, environ: WSGIEnvironment) -> BoltRequest | Refusal:
        """The request for Bolt, or why it is refused."""
        body = _read_body(environ)
        if body is None:
            return Refusal(413, "request body too large")
        headers = _headers(environ)
        if not self._signed(body, headers):
            log.warning("refused a request with a bad or stale signature")
            return Refusal(401, "invalid request")
        parsed = _parse(body, headers.get("content-type", ""))
        if isinstance(parsed, Refusal):
            log.info("refused a signed request: %s", parsed.reason)
            return parsed
        return _bolt_request(body.decode(), parsed, environ.get("QUERY_STRING", ""), headers)

    def _signed(self, body: bytes, headers: dict[str, str]) -> bool:
        """Slack's v0 signature over the raw bytes, made within the last five minutes."""
        stamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not (stamp.isascii() and _STAMP.fullmatch(stamp)):
            return False
        if abs(self._now() - int(stamp)) > MAX_AGE_SECONDS:
            return False
        base = b"v0:" + stamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _read_body(environ: WSGIEnvironment) -> bytes | None:
    """The raw body, or None when it is larger than any request of Slack's."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    stream = environ.get("wsgi.input")
    return stream.read(length) if stream is not None and length > 0 else b""


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    """Request headers by lower-case name, as Bolt names them."""
    headers = {
        key[5:].lower().replace("_", "-"): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if key in environ:
            headers[key.lower().replace("_", "-")] = str(environ[key])
    return headers


def _parse(body: bytes, content_type: str) -> dict[str, Any] | Refusal:
    """The body as Bolt reads it (JSON, a form, or a form's JSON `payload`), strictly."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return Refusal(400, "body is not UTF-8")
    try:
        parsed = _decode(text, content_type.split(";", maxsplit=1)[0])
    except (ValueError, RecursionError):
        return Refusal(400, "body is neither JSON nor a form")
    if not isinstance(parsed, dict):
        return Refusal(400, "body is not an object")
    problem = shape_problem(parsed)
    return Refusal(400, problem) if problem else parsed


def _decode(text: str, content_type: str) -> Any:
    if content_type == "application/json" or text.startswith("{"):
        return json.loads(text)
    fields = dict(parse_qsl(text, keep_blank_values=True))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def _bolt_request(
    text: str, parsed: dict[str, Any], query: str, headers: dict[str, str]
) -> BoltRequest | Refusal:
    """Bolt's request for a body the shapes admit, if Bolt can read it too."""
    try:
        request = BoltRequest(body=text, query=query, headers=dict(headers))
        if request.body != parsed:
            # Bolt reads any form that mentions "payload" (a slash command's text, say) as an
            # interactivity payload, and finds nothing; give it the fields that were sent.
            request.body = parsed
            request.context = build_context(BoltContext(), parsed)
        for read in _BOLT_READERS:
            read(request.body)
    except Exception as error:
        # Bolt would fail the same way inside dispatch, and answer 500.
        log.info("refused a signed request Bolt cannot read: %r", error)
        return Refusal(400, "unreadable request")
    return request
