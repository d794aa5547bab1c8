"""HTTP mode: one WSGI app with Slack's endpoint, a health check and Prometheus metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import make_wsgi_app
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"


class BotWsgiApp:
    """Routes /slack/events to Bolt, /healthz to a database check, /metrics to Prometheus."""

    def __init__(self, app: App, *, health: Callable[[], bool]) -> None:
        self._slack = SlackRequestHandler(app, path=SLACK_PATH)
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

    def _healthz(self, start_response: Any) -> list[bytes]:
        try:
            healthy = self._health()
        except Exception:
            log.exception("health check failed")
            healthy = False
        status = "200 OK" if healthy else "503 Service Unavailable"
        start_response(status, [("Content-Type", "application/json")])
        return [b'{"ok": true}' if healthy else b'{"ok": false}']


def serve(wsgi_app: BotWsgiApp, *, host: str, port: int, threads: int = 16) -> None:
    """Serve with waitress, a production WSGI server (blocks)."""
    from waitress import serve as waitress_serve

    waitress_serve(wsgi_app, host=host, port=port, threads=threads, ident="kustomer-support-bot")


def make_server(wsgi_app: BotWsgiApp, *, host: str, port: int, threads: int = 16) -> Any:
    """A waitress server object (for tests and the demo: run it in a thread, close it after)."""
    from waitress.server import create_server

    return create_server(wsgi_app, host=host, port=port, threads=threads)
