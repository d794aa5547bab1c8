"""HTTP mode: one WSGI app with Slack's endpoint, a health check and Prometheus metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from prometheus_client import make_wsgi_app
from slack_bolt import App
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.slack.guard import Refusal, RequestGuard

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
PLAIN_TEXT = {"content-type": ["text/plain;charset=utf-8"]}


class BotWsgiApp:
    """Routes /slack/events to Bolt, /healthz to a database check, /metrics to Prometheus."""

    def __init__(self, app: App, *, health: Callable[[], bool], signing_secret: str) -> None:
        self._app = app
        self._guard = RequestGuard(signing_secret)
        self._metrics = make_wsgi_app()
        self._health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == SLACK_PATH:
            return self._slack(environ, start_response)
        if path == "/healthz":
            return self._healthz(start_response)
        if path == "/metrics":
            return self._metrics(environ, start_response)  # type: ignore[no-any-return]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found"]

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Only what the guard admits reaches Bolt; the rest gets a short 4xx."""
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, 405, PLAIN_TEXT, "Method Not Allowed")
        admitted = self._guard.admit(environ)
        if isinstance(admitted, Refusal):
            return _answer(start_response, admitted.status, PLAIN_TEXT, admitted.reason)
        response = self._app.dispatch(admitted)
        return _answer(start_response, response.status, response.headers, response.body)

    def _healthz(self, start_response: Any) -> list[bytes]:
        try:
            healthy = self._health()
        except Exception:
            log.exception("health check failed")
            healthy = False
        status = "200 OK" if healthy else "503 Service Unavailable"
        start_response(status, [("Content-Type", "application/json")])
        return [b'{"ok": true}' if healthy else b'{"ok": false}']


def _answer(
    start_response: StartResponse,
    status: int,
    headers: Mapping[str, Sequence[str]],
    body: str,
) -> Iterable[bytes]:
    """Bolt's answer as WSGI. A 4xx asks Slack not to retry: the retry would fail the same."""
    sent = dict(headers)
    if 400 <= status < 500 and status != 429:
        sent["x-slack-no-retry"] = ["1"]
    response = WsgiHttpResponse(status=status, headers=sent, body=body)
    start_response(response.status, response.get_headers())
    return response.get_body()


def serve(wsgi_app: BotWsgiApp, *, host: str, port: int, threads: int = 16) -> None:
    """Serve with waitress, a production WSGI server (blocks)."""
    from waitress import serve as waitress_serve

    waitress_serve(wsgi_app, host=host, port=port, threads=threads, ident="kustomer-support-bot")


def make_server(wsgi_app: BotWsgiApp, *, host: str, port: int, threads: int = 16) -> Any:
    """A waitress server object (for tests and the demo: run it in a thread, close it after)."""
    from waitress.server import create_server

    return create_server(wsgi_app, host=host, port=port, threads=threads)
