"""A fake app endpoint for driver tests: records requests, checks them with Slack's verifier."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

SECRET = "s3cr3t-signing"


@dataclass(frozen=True)
class Received:
    """One request the fake app got."""

    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def payload(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.form()["payload"])
        return decoded

    def json(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.body)
        return decoded


class _RecordingApp(BaseHTTPRequestHandler):
    received: list[Received]
    verifier = SignatureVerifier(SECRET)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = dict(self.headers.items())
        ok = self.verifier.is_valid_request(body, headers)
        self.received.append(Received(self.path, headers, body, ok))
        reply = b'{"ok":true}' if ok else b"invalid signature"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json" if ok else "text/plain")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class FakeApp:
    """A running fake app endpoint and what it received."""

    url: str
    received: list[Received]


@contextmanager
def running_fake_app() -> Iterator[FakeApp]:
    """A fake app endpoint on loopback that verifies and records what it receives."""
    received: list[Received] = []
    handler = type("Handler", (_RecordingApp,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield FakeApp(f"http://127.0.0.1:{server.server_address[1]}/slack/events", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
