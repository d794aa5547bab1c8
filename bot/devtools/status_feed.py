"""A Statuspage-compatible status page on loopback, for the tests and the demo.

It serves `/api/v2/incidents.json` (the newest 50) and `/api/v2/incidents/unresolved.json`
with an ETag and Last-Modified, answers 304 to a matching conditional request, and can be
told to misbehave: `fail("error" | "hang" | "invalid" | "empty" | "missing")`.

    python -m bot.devtools.status_feed tests/fixtures/outage_history_incidents.json
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.devtools.netenv import bypass_proxies_for_loopback

RECENT = "/api/v2/incidents.json"
UNRESOLVED = "/api/v2/incidents/unresolved.json"
FAULTS = ("error", "hang", "invalid", "empty", "missing")
ENDED = ("resolved", "postmortem", "completed")
PAGE = {"id": "standin", "name": "Vendor (stand-in)", "url": "http://127.0.0.1/"}


def incident_json(
    incident_id: str,
    name: str,
    *,
    created_at: str,
    status: str = "investigating",
    impact: str = "minor",
    components: tuple[str, ...] = (),
    resolved_at: str | None = None,
    updates: tuple[tuple[str, str, str, str], ...] = (),
) -> dict[str, Any]:
    """One incident as Statuspage lists it; `updates` are (id, status, body, created_at)."""
    return {
        "id": incident_id,
        "name": name,
        "status": status,
        "impact": impact,
        "created_at": created_at,
        "updated_at": updates[-1][3] if updates else created_at,
        "resolved_at": resolved_at,
        "shortlink": f"https://stspg.example/{incident_id}",
        "components": [{"id": f"c{i}", "name": n} for i, n in enumerate(components)],
        "incident_updates": [
            {"id": u, "status": s, "body": b, "created_at": at, "incident_id": incident_id}
            for u, s, b, at in reversed(updates)  # Statuspage lists the newest first
        ],
    }


class StatusPageStandIn:
    """The page's incidents (newest first), its fault mode and the requests it answered."""

    def __init__(self, incidents: list[dict[str, Any]] | None = None) -> None:
        self.incidents: list[dict[str, Any]] = list(incidents or [])
        self.fault: str | None = None
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self._version = 1
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The page's base URL (what STATUS_PAGE_URL holds)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StatusPageStandIn:
        bypass_proxies_for_loopback()  # the poller's HTTP client must reach it directly
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def publish(self, incident: dict[str, Any]) -> None:
        """Add an incident or replace the one with its id."""
        with self._lock:
            self.incidents = [i for i in self.incidents if i["id"] != incident["id"]]
            self.incidents.insert(0, incident)
            self.incidents.sort(key=lambda i: str(i["created_at"]), reverse=True)
            self._version += 1

    def post_update(
        self, incident_id: str, update_id: str, status: str, body: str, at: str
    ) -> None:
        """A new update on an incident; a resolving one resolves it."""
        with self._lock:
            incident = next(i for i in self.incidents if i["id"] == incident_id)
            incident["incident_updates"].insert(
                0, {"id": update_id, "status": status, "body": body, "created_at": at}
            )
            incident["status"], incident["updated_at"] = status, at
            if status in ENDED and incident["resolved_at"] is None:
                incident["resolved_at"] = at
            self._version += 1

    def fail(self, fault: str | None) -> None:
        """Misbehave from now on (None: behave again)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        with self._lock:
            self.fault = fault
            self._version += 1
        if fault != "hang":
            self._release.set()
            self._release = threading.Event()

    def hits(self, path: str = RECENT) -> list[tuple[dict[str, str], int]]:
        """The request headers and answer status of every request to `path`."""
        with self._lock:
            return [(headers, status) for p, headers, status in self.requests if p == path]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a GET of `path`."""
        with self._lock:
            fault, version = self.fault, self._version
            body = self._body(path, fault)
        if body is None:
            return 404, {}, b"{}"
        if fault == "error":
            return 500, {}, b"<html>Internal Server Error</html>"
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        stamp = formatdate(1_767_225_600 + version, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": stamp}
        if headers.get("if-none-match") == etag:
            return 304, validators, b""
        return 200, validators | {"Content-Type": "application/json"}, body

    def _body(self, path: str, fault: str | None) -> bytes | None:
        if path not in (RECENT, UNRESOLVED):
            return None
        if fault == "invalid":
            return b'{"page": {"id": "standin"}, "incidents": [{"id": '
        listed = copy.deepcopy(self.incidents[:50])
        if path == UNRESOLVED:
            listed = [i for i in listed if i["status"] not in ENDED and not i["resolved_at"]]
        if fault == "empty":
            listed = []
        if fault == "missing":
            for incident in listed:
                incident.pop("created_at", None)
        return json.dumps({"page": PAGE, "incidents": listed}).encode()


def _handler_for(page: StatusPageStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            headers = {k.lower(): v for k, v in self.headers.items()}
            if page.fault == "hang":
                page._release.wait(60)
            status, extra, body = page.answer(path, headers)
            with page._lock:
                page.requests.append((path, headers, status))
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            try:
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the poller gave up waiting (a hang): nobody to answer

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `requests` instead."""

    return Handler


def main(argv: list[str]) -> int:
    """Serve a saved incidents.json until interrupted."""
    with open(argv[0], encoding="utf-8") as saved:
        page = StatusPageStandIn(json.load(saved)["incidents"]).start()
    print(f"STATUS_PAGE_URL={page.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        page.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
