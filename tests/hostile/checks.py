"""What every hostile request must leave true: a calm answer, no pings, nothing lost."""

from __future__ import annotations

import itertools
import json
import logging
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.devtools import driver_payloads as payloads
from bot.devtools.driver import DriverResponse
from bot.devtools.harness import Harness
from bot.devtools.limits import check_message
from bot.domain.model import Request
from tests.e2e.flows import file, settle, stored, stored_requests
from tests.hostile.strategies import FRESH, RESPONSE_URL

# Live tokens the hostile text carries. The app mentions its own groups and real people,
# never S1 or U1, and never the whole channel.
LIVE = re.compile(r"<(?:!channel|!here|!everyone|!subteam\^S1|@U1)(?:\|[^>]*)?>")
# An answer of ours to a request it will not handle: short, and never worth a retry.
SHORT = 200
# Slack gives up on an answer after 3 s; ours come in milliseconds, even for hostile input.
PROMPT = 2.0
_serial = itertools.count(1)


def fresh(key: str) -> str:
    """A new value for a FRESH placeholder, shaped like Slack's for that key."""
    if key in ("ts", "event_ts", "message_ts"):
        return payloads.new_ts()
    if key == "event_id":
        return payloads.new_event_id()
    if key == "trigger_id":
        return payloads.new_trigger_id()
    return f"V{next(_serial):08d}{secrets.token_hex(3).upper()}"


def filled(value: Any, response_url: str, key: str = "") -> Any:
    """`value` with its placeholders replaced (every FRESH gets a value of its own)."""
    if value == FRESH:
        return fresh(key)
    if value == RESPONSE_URL:
        return response_url
    if isinstance(value, dict):
        return {k: filled(v, response_url, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, response_url, key) for v in value]
    return value


class _Failures(logging.Handler):
    """Keeps the listener failures the app's one error handler logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Barrage:
    """Sends hostile requests into one world and checks each answer and what it caused."""

    world: Harness
    statuses: Counter[int] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    _seen: int = 0
    _failures: _Failures = field(default_factory=_Failures)

    def __post_init__(self) -> None:
        self._seen = len(self.world.standin.calls)

    @contextmanager
    def watching(self) -> Iterator[Barrage]:
        """Collect listener failures while the barrage runs."""
        logger = logging.getLogger("bot.slack.app")
        logger.addHandler(self._failures)
        try:
            yield self
        finally:
            logger.removeHandler(self._failures)

    def fill(self, value: Any) -> Any:
        return filled(value, self.world.driver.new_response_url())

    def send_json(self, body: dict[str, Any]) -> DriverResponse:
        return self.check(self.world.driver.send_json(self.fill(body)))

    def send_payload(self, payload: dict[str, Any]) -> DriverResponse:
        return self.check(self.world.driver.send_payload(self.fill(payload)))

    def send_form(self, fields: dict[str, str]) -> DriverResponse:
        return self.check(self.world.driver.send_form(self.fill(fields)))

    def send_raw(self, body: bytes, content_type: str) -> DriverResponse:
        return self.check(self.world.driver.raw(body, content_type))

    def check(self, answer: DriverResponse) -> DriverResponse:
        """The answer is calm; everything the app sent since the last check is safe."""
        self.statuses[answer.status] += 1
        assert answer.status < 500, (answer.status, answer.body[:300])
        assert answer.elapsed < PROMPT, (answer.status, answer.elapsed, answer.body[:300])
        if answer.status >= 400:
            self.refusals[f"{answer.status} {answer.body[:60]}"] += 1
            assert len(answer.body) <= SHORT, answer.body[:300]
            headers = {k.lower(): v for k, v in answer.headers.items()}
            assert headers.get("x-slack-no-retry") == "1", (answer.status, headers)
        else:
            assert answer.status == 200, answer.status
            _check_ack_body(answer.body)
        settle(self.world)
        self._check_sent()
        self._check_failures()
        return answer

    def _check_sent(self) -> None:
        calls = self.world.standin.calls
        for call in calls[self._seen :]:
            shown = json.dumps(_shown(call.params), ensure_ascii=False)
            assert not LIVE.findall(shown), (call.method, LIVE.findall(shown))
        self._seen = len(calls)

    def _check_failures(self) -> None:
        """Slack may refuse a stranger's call; a listener must never trip over a payload."""
        crashes = [
            record
            for record in self._failures.records
            if record.exc_info and not isinstance(record.exc_info[1], SlackClientError)
        ]
        self._failures.records.clear()
        assert not crashes, [f"{r.getMessage()}: {r.exc_info[1]!r}" for r in crashes if r.exc_info]


def _check_ack_body(body: str) -> None:
    """Nothing, inline errors, or an ephemeral answer within Slack's limits."""
    if body in ("", "{}"):
        return
    answer = json.loads(body)
    assert isinstance(answer, dict), body[:300]
    assert not LIVE.findall(body), LIVE.findall(body)
    if answer.get("response_action") == "errors":
        errors = answer.get("errors")
        assert isinstance(errors, dict) and errors, body[:300]
        assert all(isinstance(v, str) and 0 < len(v) <= 2000 for v in errors.values()), errors
        return
    assert check_message(answer.get("blocks"), answer.get("text")) == [], body[:300]


def _shown(value: Any) -> Any:
    """A call's parameters without text inputs' initial values (plain text, never parsed)."""
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items() if k != "initial_value"}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


@dataclass(frozen=True)
class Filed:
    """A valid request filed before the barrage, as it stood then."""

    root: dict[str, Any]
    request: Request

    @classmethod
    def now(cls, world: Harness) -> Filed:
        root = file(world, world.cast.admin, subject="Filed before the storm", impact="high")
        return cls(root=root, request=stored(world, root))

    def assert_intact(self, world: Harness) -> None:
        """The request and its conversation are as they were."""
        now = stored(world, self.root)
        kept = ("subject", "description", "priority", "requester_id", "area", "intake_channel")
        assert {k: getattr(now, k) for k in kept} == {k: getattr(self.request, k) for k in kept}
        assert world.standin.message(self.root["channel"], self.root["ts"]) is not None


def assert_filing_still_works(world: Harness) -> None:
    """After the barrage a person files as usual, and the request is stored and posted."""
    before = len(stored_requests(world))
    root = file(world, world.cast.admin, subject="Filed after the storm", impact="low")
    requests = stored_requests(world)
    assert len(requests) == before + 1
    assert requests[-1].subject == "Filed after the storm"
    assert "Filed after the storm" in json.dumps(root)
