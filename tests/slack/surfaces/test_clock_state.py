"""The state word beside a due instant on redrawn surfaces, and the stale-phrase check."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from surface_checks import RELATIVE_TIME, make_request

from bot.domain.calendar import BusinessCalendar
from bot.domain.sla import SlaPolicy
from bot.slack.phrases import OVERDUE, STANDS_STILL, clock_state

POLICY = SlaPolicy(BusinessCalendar.default())
# Wednesday 18 November 2026, 15:00 in New York (open); Saturday noon (closed).
OPEN = pendulum.datetime(2026, 11, 18, 15, 0, tz="America/New_York")
CLOSED = pendulum.datetime(2026, 11, 21, 12, 0, tz="America/New_York")
ANSWERED = {"first_responded_at": OPEN.subtract(days=5), "status": "in_progress"}

CASES: dict[str, tuple[dict[str, Any], pendulum.DateTime, str]] = {
    "due later, desk open": ({"first_response_due_at": OPEN.add(hours=1)}, OPEN, ""),
    "due passed": ({"first_response_due_at": OPEN.subtract(minutes=1)}, OPEN, OVERDUE),
    "due now": ({"first_response_due_at": OPEN}, OPEN, OVERDUE),
    "breach already marked": (
        {"first_response_due_at": OPEN.subtract(hours=1), "breached_at": OPEN},
        OPEN,
        "",
    ),
    "desk closed, business clock": (
        {"first_response_due_at": CLOSED.add(days=1, hours=7)},
        CLOSED,
        STANDS_STILL,
    ),
    "desk closed, overdue wins": (
        {"first_response_due_at": CLOSED.subtract(hours=15)},
        CLOSED,
        OVERDUE,
    ),
    "desk closed, Critical runs on": (
        {"priority": "critical", "first_response_due_at": CLOSED.add(minutes=15)},
        CLOSED,
        "",
    ),
    "answered, resolution later": ({**ANSWERED, "resolution_due_at": OPEN.add(days=1)}, OPEN, ""),
    "answered, resolution passed": (
        {**ANSWERED, "resolution_due_at": OPEN.subtract(hours=1)},
        OPEN,
        OVERDUE,
    ),
    "answered, desk closed, even Critical": (
        {**ANSWERED, "priority": "critical", "resolution_due_at": CLOSED.add(days=2)},
        CLOSED,
        STANDS_STILL,
    ),
    "answered, resolution breach marked": (
        {
            **ANSWERED,
            "resolution_due_at": OPEN.subtract(hours=1),
            "resolution_breached_at": OPEN.subtract(hours=1),
        },
        OPEN,
        "",
    ),
    "waiting on the customer": (
        {
            **ANSWERED,
            "status": "waiting_on_customer",
            "resolution_due_at": OPEN.subtract(hours=1),
        },
        OPEN,
        "",
    ),
    "with Development": (
        {
            **ANSWERED,
            "status": "escalated_to_development",
            "escalated_to_development_at": OPEN,
            "resolution_due_at": OPEN.subtract(hours=1),
        },
        OPEN,
        "",
    ),
    "resolved": (
        {"status": "resolved", "first_response_due_at": OPEN.subtract(hours=1)},
        OPEN,
        "",
    ),
}


@pytest.mark.parametrize(("overrides", "now", "state"), CASES.values(), ids=CASES.keys())
def test_clock_state(overrides: dict[str, Any], now: pendulum.DateTime, state: str) -> None:
    request = make_request(created_at=now.subtract(days=6), **overrides)

    assert clock_state(request, policy=POLICY, now=now) == state


@pytest.mark.parametrize(
    "stale",
    ["in 45 min", "overdue by 5 min", "7 min left", "in 1 h", "within 2 hours", "3 d ago"],
)
def test_the_stale_phrase_check_catches_relative_time(stale: str) -> None:
    assert RELATIVE_TIME.search(f"First response due <!date^1|x> ({stale})")


@pytest.mark.parametrize("fine", [OVERDUE, STANDS_STILL, "<!date^1763496000^{time}|x>"])
def test_the_stale_phrase_check_lets_state_words_and_tokens_pass(fine: str) -> None:
    assert RELATIVE_TIME.search(fine) is None
