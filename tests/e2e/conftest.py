"""End-to-end fixtures: the real app over HTTP on loopback, the Slack stand-in, a driver."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
# Saturday 21 November 2026, noon in New York: the desk is closed until Sunday 18:00.
CLOSED_SATURDAY = pendulum.datetime(2026, 11, 21, 12, 0, tz="America/New_York")
# A user group whose members may use chat although they are not workspace admins.
CHAT_ADMIN_GROUP = "S0CHATADM"

WorldFactory = Callable[..., Harness]

# For checks the database cannot change (input validation, signatures, wording, Slack
# faults): run them on SQLite only and keep the PostgreSQL runs for the flows that store.
sqlite_only = pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", id="sqlite")], indirect=True
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(OPEN_WEDNESDAY)


# Per test, the calls the stand-in's rate limits answered with 429 (method -> count).
RATE_LIMITED: dict[str, dict[str, int]] = {}


@pytest.fixture
def make_world(
    request: pytest.FixtureRequest, database_url: str, clock: ManualClock
) -> Iterator[WorldFactory]:
    """Builds whole bots with settings overrides (`plan_tier="professional"`, ...).

    Every bot talks to a stand-in that enforces Slack's rate limits (the app waits out each
    429's Retry-After as it would in production). Each bot is stopped after the test,
    everything it sent to Slack is checked against Slack's limits, and the 429s it met are
    listed at the end of the run.
    """
    if not database_url.startswith("sqlite"):
        upgrade(database_url)  # PostgreSQL is migrated by the operator, never by `run`
    started: list[Harness] = []

    def build(**overrides: Any) -> Harness:
        harness = Harness(database_url=database_url, clock=clock, rate_limits=True, **overrides)
        started.append(harness)
        return harness

    yield build
    for harness in started:
        harness.stop()
    _note_rate_limited(request.node.nodeid, started)
    for harness in started:
        _assert_everything_valid(harness)


def _note_rate_limited(test: str, harnesses: list[Harness]) -> None:
    limited: dict[str, int] = {}
    for harness in harnesses:
        for method, (_calls, refused) in harness.standin.rate_report().items():
            if refused:
                limited[method] = limited.get(method, 0) + refused
    if limited:
        RATE_LIMITED[test] = limited


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the tests in which the app met Slack's rate limits (and waited them out)."""
    if not RATE_LIMITED:
        return
    terminalreporter.section("Slack rate limits met (HTTP 429 from the stand-in)")
    for test, limited in sorted(RATE_LIMITED.items()):
        counts = ", ".join(f"{method} x{n}" for method, n in sorted(limited.items()))
        terminalreporter.write_line(f"{test}: {counts}")


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    """The whole bot on SQLite (and PostgreSQL when TEST_DATABASE_URL is set)."""
    return make_world()


@pytest.fixture
def professional_world(make_world: WorldFactory) -> Harness:
    """The whole bot for a customer on the Professional plan: chat is closed to everyone."""
    return make_world(plan_tier="professional")


@pytest.fixture
def group_world(make_world: WorldFactory) -> Harness:
    """The whole bot with CHAT_ADMIN_USERGROUP_ID set to a group with one plain member."""
    harness = make_world(chat_admin_usergroup_id=CHAT_ADMIN_GROUP)
    harness.standin.add_user("U0GRACE", name="grace")
    harness.standin.add_usergroup(CHAT_ADMIN_GROUP, "support-admins", ["U0GRACE"])
    return harness


def _assert_everything_valid(harness: Harness) -> None:
    """Every view and message the app sent in the test respects Slack's limits."""
    for call in harness.standin.calls:
        problems = _limit_problems(call)
        assert not problems, f"{call.method} broke Slack's limits: {problems}"


def _limit_problems(call: RecordedCall) -> list[str]:
    params: dict[str, Any] = call.params
    if call.method.startswith("views."):
        return check_view(params["view"])
    if call.method == "response_url" and not params.get("delete_original"):
        return check_message(params.get("blocks"), params.get("text"))
    if call.method.startswith("chat.") and call.method != "chat.getPermalink":
        return check_message(params.get("blocks"), params.get("text"))
    return []
