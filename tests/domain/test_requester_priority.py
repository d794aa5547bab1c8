"""The route sets the ceiling: how high a requester may set their own request's impact.

Who is a requester and who works the desk is the service's call (it knows the people);
the domain only says what a requester may choose.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import transitions
from bot.domain.calendar import BusinessCalendar
from bot.domain.errors import NotAllowed
from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.sla import SlaPolicy
from bot.domain.transitions import check_requester_priority, route_ceiling
from tests.conftest import new_request
from tests.domain.helpers import ny

POLICY = SlaPolicy(BusinessCalendar.default())
CREATED = ny(2026, 11, 18, 15)  # a Wednesday afternoon: open
ENGINEER = "U_ERIN"

LOW, MEDIUM, HIGH, CRITICAL = Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL


def filed(priority: Priority, route: str, **changes: Any) -> Request:
    fields: dict[str, Any] = {
        "id": 7,
        "priority": priority,
        "intake_channel": route,
        "created_at": CREATED,
        "first_response_due_at": POLICY.first_response_due(priority, CREATED),
        "slack_channel_id": "C_SUPPORT",
        "thread_ts": "1700000000.000001",
    }
    fields.update(changes)
    return new_request(**fields)


@pytest.mark.parametrize(("route", "ceiling"), [("email", MEDIUM), ("chat", HIGH)])
def test_the_route_sets_the_ceiling(route: str, ceiling: Priority) -> None:
    assert route_ceiling(filed(MEDIUM, route)) is ceiling


def test_the_ceiling_does_not_depend_on_the_current_impact() -> None:
    # An emailed request the desk raised to High still has the email route's ceiling.
    assert route_ceiling(filed(HIGH, "email")) is MEDIUM
    assert route_ceiling(filed(CRITICAL, "chat")) is HIGH


@pytest.mark.parametrize(
    ("route", "current", "chosen"),
    [
        ("email", MEDIUM, LOW),  # lower
        ("email", LOW, MEDIUM),  # back up to the ceiling
        ("email", MEDIUM, MEDIUM),  # no change
        ("email", HIGH, MEDIUM),  # the desk raised it; the requester may lower it
        ("email", CRITICAL, HIGH),  # still lower than now, though above the ceiling
        ("chat", LOW, HIGH),  # up to the ceiling
        ("chat", HIGH, MEDIUM),
        ("chat", CRITICAL, HIGH),  # a chat admin filed at Critical and lowers it
        ("chat", CRITICAL, CRITICAL),
    ],
    ids=[
        "email-lower",
        "email-up-to-medium",
        "email-same",
        "email-lower-from-high",
        "email-lower-from-critical",
        "chat-up-to-high",
        "chat-lower",
        "chat-lower-from-critical",
        "chat-same-critical",
    ],
)
def test_a_requester_may_lower_or_raise_up_to_the_ceiling(
    route: str, current: Priority, chosen: Priority
) -> None:
    check_requester_priority(filed(current, route), chosen)  # does not raise


def test_an_email_requester_may_not_raise_to_high() -> None:
    request = filed(MEDIUM, "email")

    with pytest.raises(NotAllowed, match="email route") as refused:
        check_requester_priority(request, HIGH)

    assert request.key in str(refused.value)
    assert "Medium" in str(refused.value)


def test_an_email_requester_may_not_go_from_low_past_medium() -> None:
    with pytest.raises(NotAllowed, match="email route"):
        check_requester_priority(filed(LOW, "email"), HIGH)


@pytest.mark.parametrize(
    ("route", "current"),
    [("chat", HIGH), ("chat", LOW), ("email", MEDIUM)],
    ids=["chat-high", "chat-low", "email-medium"],
)
def test_a_requester_may_never_raise_to_critical(route: str, current: Priority) -> None:
    with pytest.raises(NotAllowed, match="support or on-call team"):
        check_requester_priority(filed(current, route), CRITICAL)


def test_an_email_request_may_not_be_raised_back_above_its_ceiling() -> None:
    # The desk raised it to High, the requester lowered it to Low: back to High is a raise.
    lowered = filed(LOW, "email")

    with pytest.raises(NotAllowed):
        check_requester_priority(lowered, HIGH)
    check_requester_priority(lowered, MEDIUM)


@pytest.mark.parametrize(
    ("route", "current", "chosen"),
    [("email", MEDIUM, HIGH), ("email", MEDIUM, CRITICAL), ("chat", HIGH, CRITICAL)],
)
def test_the_transition_itself_lets_the_desk_choose_any_impact(
    route: str, current: Priority, chosen: Priority
) -> None:
    """The ceiling is only the requester's: the change itself has no ceiling."""
    change = transitions.change_priority(
        filed(current, route), user_id=ENGINEER, priority=chosen, policy=POLICY
    )

    assert change is not None
    assert change.request.priority is chosen
    assert change.request.intake_channel is IntakeChannel(route)
