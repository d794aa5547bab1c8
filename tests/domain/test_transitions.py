"""The pure transitions: a request before, the request after and a note; None when unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pendulum import DateTime

from bot.domain import transitions
from bot.domain.calendar import BusinessCalendar
from bot.domain.changes import ChangeKind, ChangeNote
from bot.domain.errors import DeskError
from bot.domain.model import Request
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import SlaPolicy
from bot.domain.sla_terms import FIRST_RESPONSE_TARGETS, SlaTerms
from bot.domain.transitions import Transition
from tests.conftest import new_request
from tests.domain.helpers import ny

POLICY = SlaPolicy(BusinessCalendar.default())
CALENDAR = POLICY.calendar
CREATED = ny(2026, 11, 18, 15)  # a Wednesday afternoon: open
NOW = ny(2026, 11, 18, 15, 40)
ENGINEER = "U_ERIN"
OTHER = "U_OTTO"


def filed(priority: str = "high", **changes: Any) -> Request:
    """A request filed at CREATED under the default terms, with a conversation."""
    impact = Priority(priority)
    fields: dict[str, Any] = {
        "id": 7,
        "priority": impact,
        "created_at": CREATED,
        "first_response_due_at": POLICY.first_response_due(impact, CREATED),
        "slack_channel_id": "C_CRIT" if impact.is_critical else "C_SUPPORT",
        "thread_ts": "1700000000.000001",
    }
    fields.update(changes)
    return new_request(**fields)


RESOLVED: dict[str, Any] = {"status": "resolved", "resolved_at": NOW}
Rule = Callable[[Request], Transition | None]
RULES: dict[str, Rule] = {
    "take": lambda r: transitions.take(r, user_id=ENGINEER),
    "change_priority": lambda r: transitions.change_priority(
        r, user_id=ENGINEER, priority=Priority.LOW, policy=POLICY
    ),
    "wait_on_customer": lambda r: transitions.wait_on_customer(r, user_id=ENGINEER, now=NOW),
    "escalate_to_development": lambda r: transitions.escalate_to_development(
        r, user_id=ENGINEER, calendar=CALENDAR, now=NOW
    ),
    "escalate_to_leadership": lambda r: transitions.escalate_to_leadership(
        r, user_id=ENGINEER, now=NOW
    ),
}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_a_resolved_request_cannot_be_changed(rule: Rule) -> None:
    request = filed(**RESOLVED)

    with pytest.raises(DeskError, match=f"{request.key} is already resolved"):
        rule(request)


@pytest.mark.parametrize(
    ("rule", "already"),
    [
        (RULES["take"], {"assignee_id": ENGINEER, "status": "in_progress"}),
        (RULES["change_priority"], {"priority": "low"}),
        (RULES["wait_on_customer"], {"status": "waiting_on_customer"}),
        (RULES["escalate_to_development"], {"escalated_to_development_at": NOW}),
        (RULES["escalate_to_leadership"], {"escalated_to_leadership_at": NOW}),
        (
            lambda r: transitions.customer_replied(r, user_id=ENGINEER, calendar=CALENDAR, now=NOW),
            {"status": "in_progress"},
        ),
        (
            lambda r: transitions.resolve(r, user_id=ENGINEER, calendar=CALENDAR, now=NOW),
            RESOLVED,
        ),
    ],
    ids=[*RULES.keys(), "customer_replied", "resolve"],
)
def test_each_returns_none_when_nothing_changes(rule: Rule, already: dict[str, Any]) -> None:
    assert rule(filed(**already)) is None


def test_resolve_and_customer_replied_on_a_resolved_request_do_nothing() -> None:
    request = filed(**RESOLVED)

    assert transitions.resolve(request, user_id=ENGINEER, calendar=CALENDAR, now=NOW) is None
    replied = transitions.customer_replied(request, user_id=ENGINEER, calendar=CALENDAR, now=NOW)
    assert replied is None


# Taking


def test_take_assigns_and_starts_a_new_request() -> None:
    transition = transitions.take(filed(), user_id=ENGINEER)

    assert transition is not None
    assert (transition.request.assignee_id, transition.request.status) == (
        ENGINEER,
        RequestStatus.IN_PROGRESS,
    )
    assert transition.note == ChangeNote(ChangeKind.TAKEN, ENGINEER)
    assert not transition.moved


def test_take_from_someone_else_keeps_the_status() -> None:
    request = filed(assignee_id=OTHER, status="waiting_on_customer", resolution_paused_since=NOW)

    transition = transitions.take(request, user_id=ENGINEER)

    assert transition is not None
    assert transition.request.assignee_id == ENGINEER
    assert transition.request.status is RequestStatus.WAITING_ON_CUSTOMER


# Changing the impact


def test_change_priority_retargets_from_the_creation_instant() -> None:
    transition = transitions.change_priority(
        filed("high"), user_id=ENGINEER, priority=Priority.LOW, policy=POLICY
    )

    assert transition is not None
    assert transition.request.priority is Priority.LOW
    assert transition.request.first_response_due_at == CREATED.add(hours=4)
    assert transition.note == ChangeNote(
        ChangeKind.PRIORITY_CHANGED, ENGINEER, Priority.HIGH, Priority.LOW
    )
    assert not transition.moved
    assert not transition.request.conversation_pending


def test_change_priority_uses_the_request_own_terms() -> None:
    own = SlaTerms(first_response={**FIRST_RESPONSE_TARGETS, Priority.LOW: timedelta(hours=3)})
    request = filed("high", terms=own)

    transition = transitions.change_priority(
        request, user_id=ENGINEER, priority=Priority.LOW, policy=POLICY
    )

    assert transition is not None
    assert transition.request.first_response_due_at == CREATED.add(hours=3)
    assert transition.request.terms == own


def test_a_new_target_unbreaches_an_unanswered_request_only() -> None:
    breached = filed("high", breached_at=CREATED.add(hours=1))
    answered = breached.but(first_responded_at=CREATED.add(hours=2))

    unanswered = transitions.change_priority(
        breached, user_id=ENGINEER, priority=Priority.LOW, policy=POLICY
    )
    kept = transitions.change_priority(
        answered, user_id=ENGINEER, priority=Priority.LOW, policy=POLICY
    )

    assert unanswered is not None and unanswered.request.breached_at is None
    assert kept is not None and kept.request.breached_at == CREATED.add(hours=1)


@pytest.mark.parametrize(
    ("before", "after"),
    [("high", "critical"), ("low", "critical"), ("critical", "medium")],
)
def test_a_change_across_critical_owes_a_conversation_in_the_other_channel(
    before: str, after: str
) -> None:
    request = filed(before)
    assert not request.conversation_pending

    transition = transitions.change_priority(
        request, user_id=ENGINEER, priority=Priority(after), policy=POLICY
    )

    assert transition is not None
    assert transition.moved
    assert transition.request.conversation_pending
    # The conversation stays where it is until the new root message is stored.
    assert transition.request.conversation == request.conversation


def test_a_raise_to_critical_runs_on_the_wall_clock() -> None:
    friday_night = ny(2026, 11, 20, 22)  # closed
    request = filed("high", created_at=friday_night)

    transition = transitions.change_priority(
        request, user_id=ENGINEER, priority=Priority.CRITICAL, policy=POLICY
    )

    assert transition is not None
    assert transition.request.first_response_due_at == friday_night.add(minutes=15)


# Waiting on the customer, and the pause it folds into the resolution clock


def test_waiting_on_the_customer_starts_a_pause() -> None:
    transition = transitions.wait_on_customer(
        filed(status="in_progress"), user_id=ENGINEER, now=NOW
    )

    assert transition is not None
    assert transition.request.status is RequestStatus.WAITING_ON_CUSTOMER
    assert transition.request.resolution_paused_since == NOW
    assert transition.note == ChangeNote(ChangeKind.WAITING, ENGINEER)


def _waiting(since: DateTime, **changes: Any) -> Request:
    return filed(
        status="waiting_on_customer",
        resolution_paused_since=since,
        resolution_paused_seconds=600,
        **changes,
    )


def test_the_customer_reply_folds_the_pause_in_and_resumes() -> None:
    request = _waiting(ny(2026, 11, 19, 15))

    transition = transitions.customer_replied(
        request, user_id=OTHER, calendar=CALENDAR, now=ny(2026, 11, 20, 15)
    )

    assert transition is not None
    resumed = transition.request
    assert resumed.status is RequestStatus.IN_PROGRESS
    assert resumed.resolution_paused_since is None
    assert resumed.resolution_paused_seconds == 600 + 24 * 3600
    assert transition.note == ChangeNote(ChangeKind.RESUMED, OTHER, back_to_development=False)


def test_a_pause_over_the_weekend_counts_business_time_only() -> None:
    request = _waiting(ny(2026, 11, 20, 20))  # Friday 20:00, an hour before the close

    transition = transitions.customer_replied(
        request, user_id=OTHER, calendar=CALENDAR, now=ny(2026, 11, 23, 10)
    )

    # 1 h on Friday, 6 h on Sunday, 10 h on Monday.
    assert transition is not None
    assert transition.request.resolution_paused_seconds == 600 + 17 * 3600


def test_the_customer_reply_hands_an_escalated_request_back_to_development() -> None:
    request = _waiting(NOW, escalated_to_development_at=CREATED)

    transition = transitions.customer_replied(
        request, user_id=OTHER, calendar=CALENDAR, now=NOW.add(hours=1)
    )

    assert transition is not None
    assert transition.request.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
    assert transition.note.back_to_development


@pytest.mark.parametrize("kind", ["resolve", "escalate_to_development"])
def test_resolve_and_escalate_fold_the_waiting_pause_in(kind: str) -> None:
    request = _waiting(NOW)
    later = NOW.add(hours=2)

    if kind == "resolve":
        transition = transitions.resolve(request, user_id=ENGINEER, calendar=CALENDAR, now=later)
        status = RequestStatus.RESOLVED
    else:
        transition = transitions.escalate_to_development(
            request, user_id=ENGINEER, calendar=CALENDAR, now=later
        )
        status = RequestStatus.ESCALATED_TO_DEVELOPMENT

    assert transition is not None
    assert transition.request.status is status
    assert transition.request.resolution_paused_since is None
    assert transition.request.resolution_paused_seconds == 600 + 2 * 3600


def test_resolve_and_escalate_without_a_pause_leave_the_paused_time_alone() -> None:
    request = filed(status="in_progress", resolution_paused_seconds=600)

    resolved = transitions.resolve(request, user_id=ENGINEER, calendar=CALENDAR, now=NOW)
    escalated = transitions.escalate_to_development(
        request, user_id=ENGINEER, calendar=CALENDAR, now=NOW
    )

    assert resolved is not None and escalated is not None
    assert resolved.request.resolution_paused_seconds == 600
    assert (resolved.request.resolved_at, resolved.note.kind) == (NOW, ChangeKind.RESOLVED)
    assert escalated.request.escalated_to_development_at == NOW
    assert escalated.note == ChangeNote(ChangeKind.ESCALATED_DEVELOPMENT, ENGINEER)


def test_escalate_to_leadership_marks_the_request() -> None:
    transition = transitions.escalate_to_leadership(filed(), user_id=OTHER, now=NOW)

    assert transition is not None
    assert transition.request.escalated_to_leadership_at == NOW
    assert transition.request.status is RequestStatus.NEW
    assert transition.note == ChangeNote(ChangeKind.ESCALATED_LEADERSHIP, OTHER)


# Replies in the thread


def test_the_first_engineer_reply_is_the_first_response() -> None:
    replied, first = transitions.engineer_replied(filed(), user_id=ENGINEER, at=NOW)

    assert first
    assert (replied.first_responded_at, replied.first_responder_id) == (NOW, ENGINEER)
    assert replied.last_engineer_reply_at == NOW
    assert replied.status is RequestStatus.IN_PROGRESS


def test_a_later_engineer_reply_is_an_update() -> None:
    answered = filed(
        status="waiting_on_customer",
        first_responded_at=CREATED.add(minutes=5),
        first_responder_id=OTHER,
    )

    replied, first = transitions.engineer_replied(answered, user_id=ENGINEER, at=NOW)

    assert not first
    assert (replied.first_responded_at, replied.first_responder_id) == (
        CREATED.add(minutes=5),
        OTHER,
    )
    assert replied.last_engineer_reply_at == NOW
    assert replied.status is RequestStatus.WAITING_ON_CUSTOMER


def test_transitions_leave_the_request_they_were_given_alone() -> None:
    request = filed()

    transitions.take(request, user_id=ENGINEER)
    transitions.resolve(request, user_id=ENGINEER, calendar=CALENDAR, now=NOW)

    assert request == filed()
