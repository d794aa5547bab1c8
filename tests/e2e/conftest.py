"""End-to-end fixtures: the real app over HTTP on loopback, the Slack stand-in, a driver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pendulum
import pytest

from bot.clock import ManualClock
from bot.db.migrate import upgrade
from bot.devtools.harness import Harness
from bot.devtools.limits import check_message, check_view
from bot.devtools.standin_state import RecordedCall

# Wednesday 18 November 2026, 15:00 in New York: the desk is open.
OPEN_WEDNESDAY = pendulum.datetime(2026, 11, 18, 15, 0, tz="America/New_York")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(OPEN_WEDNESDAY)


@pytest.fixture
def world(database_url: str, clock: ManualClock) -> Iterator[Harness]:
    """The whole bot on SQLite (and PostgreSQL when TEST_DATABASE_URL is set)."""
    if not database_url.startswith("sqlite"):
        upgrade(database_url)  # PostgreSQL is migrated by the operator, never by `run`
    harness = Harness(database_url=database_url, clock=clock)
    yield harness
    harness.stop()
    _assert_everything_valid(harness)


def _assert_everything_valid(harness: Harness) -> None:
    """Every view and message the app sent in the test respects Slack's limits."""
    for call in harness.standin.calls:
        problems = _limit_problems(call)
        assert not problems, f"{call.method} broke Slack's limits: {problems}"


def _limit_problems(call: RecordedCall) -> list[str]:
    params: dict[str, Any] = call.params
    if call.method.startswith("views."):
        return check_view(params["view"])
    if call.method.startswith("chat.") and call.method != "chat.getPermalink":
        return check_message(params.get("blocks"), params.get("text"))
    return []
