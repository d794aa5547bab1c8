"""Signed HTTP POSTs to an app's Slack endpoint, with Slack's headers (stdlib only)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.clock import real_time
from bot.devtools.netenv import bypass_proxies_for_loopback

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


@dataclass(frozen=True)
class DriverResponse:
    """What the app answered."""

    status: int
    body: str
    headers: dict[str, str]
    elapsed: float

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: v0= + HMAC-SHA256(secret, v0:{ts}:{body})."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SignedTransport:
    """Sends bodies to one URL, signed with the app's signing secret like Slack signs them."""

    def __init__(self, *, base_url: str, signing_secret: str, timeout: float = 10.0) -> None:
        bypass_proxies_for_loopback()
        self.base_url = base_url
        self.signing_secret = signing_secret
        self.timeout = timeout
        # An explicit empty ProxyHandler: the driver only ever talks to a local app.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def raw(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> DriverResponse:
        """POST a body, signed unless `signature` is given; use it to send tampered requests."""
        stamp = str(int(real_time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(self.signing_secret, stamp, body)
            if signature is None
            else signature,
            **(headers or {}),
        }
        request = urllib.request.Request(self.base_url, data=body, headers=sent, method="POST")
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                status, data, got = answer.status, answer.read(), dict(answer.headers.items())
        except urllib.error.HTTPError as failure:
            with failure:
                status, data, got = failure.code, failure.read(), dict(failure.headers.items())
        elapsed = time.monotonic() - started
        return DriverResponse(status, data.decode("utf-8", "replace"), got, elapsed)

    def send_form(self, fields: dict[str, str], **kwargs: Any) -> DriverResponse:
        """POST form-encoded fields, signed."""
        return self.raw(urlencode(fields).encode(), FORM, **kwargs)

    def send_payload(self, payload: dict[str, Any], **kwargs: Any) -> DriverResponse:
        """POST an interactivity payload as Slack does: form field `payload` holding JSON."""
        return self.send_form({"payload": json.dumps(payload)}, **kwargs)

    def send_json(self, body: dict[str, Any], **kwargs: Any) -> DriverResponse:
        """POST a JSON body (Events API), signed."""
        return self.raw(json.dumps(body).encode(), JSON, **kwargs)
