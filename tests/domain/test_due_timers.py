"""The due-timer rules: what timers that came due mean for their request right now."""

from __future__ import annotations

from typing import Any

import pytest
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.due_timers import Decision, decide
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.domain.sla_terms import SlaTerms
from bot.domain.timer_kinds import DueTimer, TimerKind, Where
from bot.domain.timer_plan import PlannedTimer
from tests.conftest import new_request
from tests.domain.helpers import ny

POLICY = SlaPolicy(BusinessCalendar.default())
ERIN = "U_ERIN"
CREATED = ny(2026, 11, 18, 15)  # a Wednesday afternoon: open
VERSION = 3

FR_REMINDER = TimerKind.FIRST_RESPONSE_REMINDER
FR_BREACH = TimerKind.FIRST_RESPONSE_BREACH
RES_REMINDER = TimerKind.RESOLUTION_REMINDER
RES_BREACH = TimerKind.RESOLUTION_BREACH
UPDATE = TimerKind.CRITICAL_UPDATE
PUBLISH = TimerKind.PUBLISH_CONVERSATION


def filed(priority: str = "high", created: DateTime = CREATED, **changes: Any) -> Request:
    """A request at version 3 with a conversation, filed at `created`."""
    impact = Priority(priority)
    own = POLICY.under(changes.get("terms", POLICY.terms))
    fields: dict[str, Any] = {
        "id": 7,
        "priority": impact,
        "created_at": created,
        "first_response_due_at": own.first_response_due(impact, created),
        "resolution_due_at": own.resolution_due(created),
        "slack_channel_id": "C_SUPPORT",
        "thread_ts": "1700000000.000001",
        "version": VERSION,
    }
    fields.update(changes)
    return new_request(**fields)


def due(
    timer_id: int,
    kind: TimerKind,
    at: DateTime,
    fraction: float | None = None,
    version: int = VERSION,
) -> DueTimer:
    return DueTimer(id=timer_id, kind=kind, fire_at=at, request_version=version, fraction=fraction)


def said(decision: Decision) -> list[tuple[TimerKind, tuple[int, ...], float | None]]:
    return [(n.kind, n.timer_ids, n.fraction) for n in decision.notices]


def quiet(decision: Decision) -> bool:
    return not decision.notices and not decision.follow_ups and not decision.publish


# What no longer applies is dropped


def test_a_timer_of_an_older_version_is_skipped() -> None:
    request = filed()
    stale = due(1, FR_REMINDER, ny(2026, 11, 18, 15, 30), 0.5, version=VERSION - 1)

    decision = decide(request, [stale], policy=POLICY, now=ny(2026, 11, 18, 15, 30))

    assert decision.skipped == [stale]
    assert quiet(decision)
    assert decision.request == request


@pytest.mark.parametrize(
    ("request_", "timer"),
    [
        (filed(first_responded_at=CREATED), due(1, FR_REMINDER, CREATED.add(minutes=30), 0.5)),
        (filed(first_responded_at=CREATED), due(1, FR_BREACH, CREATED.add(hours=1))),
        (filed(status="waiting_on_customer"), due(1, RES_REMINDER, CREATED.add(minutes=30), 0.5)),
        (filed(escalated_to_development_at=CREATED), due(1, RES_BREACH, CREATED.add(hours=1))),
        (filed(status="resolved"), due(1, FR_BREACH, CREATED.add(hours=1))),
        (filed("high", first_responded_at=CREATED), due(1, UPDATE, CREATED.add(minutes=30))),
        (filed("critical"), due(1, UPDATE, CREATED.add(minutes=30))),
        (
            filed("critical", first_responded_at=CREATED, status="waiting_on_customer"),
            due(1, UPDATE, CREATED.add(minutes=30)),
        ),
        (
            filed(
                "critical",
                first_responded_at=CREATED,
                status="escalated_to_development",
                escalated_to_development_at=CREATED,
            ),
            due(1, UPDATE, CREATED.add(minutes=30)),
        ),
    ],
    ids=[
        "ping-after-answer",
        "breach-after-answer",
        "resolution-while-waiting",
        "resolution-with-development",
        "resolved",
        "update-not-critical",
        "update-unanswered",
        "update-while-waiting",
        "update-with-development",
    ],
)
def test_a_timer_of_a_clock_that_no_longer_runs_is_skipped(
    request_: Request, timer: DueTimer
) -> None:
    decision = decide(request_, [timer], policy=POLICY, now=CREATED.add(hours=1))

    assert decision.skipped == [timer]
    assert quiet(decision)


def test_an_escalation_is_said_whatever_came_after_the_breach() -> None:
    resolved = filed(status="resolved", version=VERSION + 2)
    escalation = due(1, TimerKind.BREACH_ESCALATION, CREATED.add(hours=1))

    decision = decide(resolved, [escalation], policy=POLICY, now=CREATED.add(hours=2))

    assert said(decision) == [(TimerKind.BREACH_ESCALATION, (1,), None)]
    assert decision.notices[0].where is Where.ESCALATION_CHANNEL


# One notice per clock


def test_the_breach_swallows_the_pings_due_with_it() -> None:
    request = filed()
    breach_at = ny(2026, 11, 18, 16)
    timers = [
        due(1, FR_REMINDER, ny(2026, 11, 18, 15, 30), 0.5),
        due(2, FR_REMINDER, ny(2026, 11, 18, 15, 48), 0.8),
        due(3, FR_BREACH, breach_at),
    ]

    decision = decide(request, timers, policy=POLICY, now=breach_at.add(hours=1))

    assert said(decision) == [(FR_BREACH, (1, 2, 3), None)]
    assert decision.notices[0].due_at == breach_at
    assert decision.skipped == []
    assert decision.request == request.but(breached_at=breach_at)
    assert decision.follow_ups == [PlannedTimer(TimerKind.BREACH_ESCALATION, breach_at)]
    assert decision.notices[0].where is Where.CONVERSATION


def test_the_resolution_breach_swallows_its_pings_and_escalates() -> None:
    request = filed(first_responded_at=CREATED, assignee_id=ERIN)
    breach_at = ny(2026, 11, 24, 12)
    timers = [due(1, RES_REMINDER, ny(2026, 11, 23, 16, 48), 0.8), due(2, RES_BREACH, breach_at)]

    decision = decide(request, timers, policy=POLICY, now=breach_at)

    assert said(decision) == [(RES_BREACH, (1, 2), None)]
    assert decision.request.resolution_breached_at == breach_at
    assert decision.follow_ups == [PlannedTimer(TimerKind.RESOLUTION_ESCALATION, breach_at)]


def test_a_breach_already_marked_keeps_its_instant() -> None:
    request = filed(breached_at=ny(2026, 11, 18, 16))

    decision = decide(
        request, [due(1, FR_BREACH, ny(2026, 11, 18, 16))], policy=POLICY, now=ny(2026, 11, 18, 17)
    )

    assert decision.request == request


def test_of_pings_due_together_only_the_newest_is_said() -> None:
    timers = [
        due(1, FR_REMINDER, ny(2026, 11, 18, 15, 30), 0.5),
        due(2, FR_REMINDER, ny(2026, 11, 18, 15, 48), 0.8),
    ]

    decision = decide(filed(), timers, policy=POLICY, now=ny(2026, 11, 18, 15, 50))

    assert said(decision) == [(FR_REMINDER, (2,), 0.8)]
    assert decision.skipped == [timers[0]]


def test_a_ping_whose_later_ping_is_already_due_leaves_it_to_that_one() -> None:
    early = due(1, FR_REMINDER, ny(2026, 11, 18, 15, 30), 0.5)

    decision = decide(filed(), [early], policy=POLICY, now=ny(2026, 11, 18, 15, 50))

    assert decision.skipped == [early]
    assert quiet(decision)


def test_a_ping_past_the_target_is_dropped() -> None:
    late = due(1, FR_REMINDER, ny(2026, 11, 18, 15, 48), 0.8)

    decision = decide(filed(), [late], policy=POLICY, now=ny(2026, 11, 18, 16, 5))

    assert decision.skipped == [late]
    assert quiet(decision)


def test_the_rules_use_the_request_own_fractions() -> None:
    # Under its own terms the next ping (90 %) is not due yet; under the live policy's
    # (50 % and 80 %) both would be, and this ping would stay quiet.
    own = SlaTerms(reminder_fractions=(0.25, 0.9))
    ping = due(1, FR_REMINDER, ny(2026, 11, 18, 15, 15), 0.25)

    decision = decide(filed(terms=own), [ping], policy=POLICY, now=ny(2026, 11, 18, 15, 50))

    assert said(decision) == [(FR_REMINDER, (1,), 0.25)]


# The business clock while the desk is closed


def test_a_business_ping_while_closed_waits_for_the_opening() -> None:
    friday = ny(2026, 11, 20, 20, 15)  # High: due Sunday 18:15
    ping = due(1, FR_REMINDER, ny(2026, 11, 20, 20, 45), 0.5)

    decision = decide(filed(created=friday), [ping], policy=POLICY, now=ny(2026, 11, 21, 10))

    assert decision.skipped == [ping]
    assert decision.notices == []
    assert decision.follow_ups == [PlannedTimer(FR_REMINDER, ny(2026, 11, 22, 18), 0.5)]


def test_a_resolution_ping_while_closed_waits_for_the_opening() -> None:
    # Filed Tuesday 15:12: 80 % of 96 business hours is Friday 20:00, an hour before closing.
    request = filed(created=ny(2026, 11, 17, 15, 12), first_responded_at=CREATED, assignee_id=ERIN)
    ping = due(1, RES_REMINDER, ny(2026, 11, 20, 20), 0.8)

    decision = decide(request, [ping], policy=POLICY, now=ny(2026, 11, 21, 12))

    assert decision.notices == []
    assert decision.follow_ups == [PlannedTimer(RES_REMINDER, ny(2026, 11, 22, 18), 0.8)]


def test_a_resolution_reminder_speaks_to_a_request_with_an_assignee() -> None:
    request = filed(first_responded_at=CREATED, assignee_id=ERIN)
    ping = due(1, RES_REMINDER, ny(2026, 11, 23, 16, 48), 0.8)

    decision = decide(request, [ping], policy=POLICY, now=ny(2026, 11, 23, 16, 48))

    assert said(decision) == [(RES_REMINDER, (1,), 0.8)]


def test_a_resolution_reminder_of_a_request_nobody_has_taken_is_skipped() -> None:
    request = filed(first_responded_at=CREATED)
    ping = due(1, RES_REMINDER, ny(2026, 11, 23, 16, 48), 0.8)

    decision = decide(request, [ping], policy=POLICY, now=ny(2026, 11, 23, 16, 48))

    assert decision.skipped == [ping]
    assert quiet(decision)


def test_the_resolution_breach_of_a_request_nobody_has_taken_still_speaks() -> None:
    breach_at = ny(2026, 11, 24, 12)

    decision = decide(filed(), [due(1, RES_BREACH, breach_at)], policy=POLICY, now=breach_at)

    assert said(decision) == [(RES_BREACH, (1,), None)]
    assert decision.follow_ups == [PlannedTimer(TimerKind.RESOLUTION_ESCALATION, breach_at)]


def test_a_critical_ping_is_said_while_the_desk_is_closed() -> None:
    saturday = ny(2026, 11, 21, 10)
    ping = due(1, FR_REMINDER, saturday.add(minutes=7, seconds=30), 0.5)

    decision = decide(
        filed("critical", created=saturday), [ping], policy=POLICY, now=saturday.add(minutes=8)
    )

    assert said(decision) == [(FR_REMINDER, (1,), 0.5)]
    assert decision.follow_ups == []


# Critical update nudges


def test_of_update_nudges_due_together_the_latest_speaks_and_the_cadence_goes_on() -> None:
    request = filed("critical", first_responded_at=ny(2026, 11, 18, 15, 5))
    nudges = [due(1, UPDATE, ny(2026, 11, 18, 15, 35)), due(2, UPDATE, ny(2026, 11, 18, 16, 5))]

    decision = decide(request, nudges, policy=POLICY, now=ny(2026, 11, 18, 16, 10))

    assert said(decision) == [(UPDATE, (2,), None)]
    assert decision.skipped == [nudges[0]]
    assert decision.follow_ups == [PlannedTimer(UPDATE, ny(2026, 11, 18, 16, 35))]


# Publish timers


def test_a_publish_timer_acts_while_the_conversation_is_owed() -> None:
    owed = filed(slack_channel_id=None, thread_ts=None, conversation_pending=True)
    moving = filed(conversation_pending=True)
    timer = due(1, PUBLISH, CREATED, version=1)  # a publish timer is never stale

    for request in (owed, moving):
        decision = decide(request, [timer], policy=POLICY, now=CREATED.add(minutes=1))
        assert decision.publish == [timer]
        assert (decision.notices, decision.skipped, decision.follow_ups) == ([], [], [])


def test_a_publish_timer_of_a_conversation_already_stored_is_skipped() -> None:
    timer = due(1, PUBLISH, CREATED)

    decision = decide(filed(), [timer], policy=POLICY, now=CREATED.add(minutes=1))

    assert decision.skipped == [timer]
    assert quiet(decision)


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        (FR_REMINDER, Where.CONVERSATION),
        (UPDATE, Where.CONVERSATION),
        (RES_BREACH, Where.CONVERSATION),
        (TimerKind.RESOLUTION_ESCALATION, Where.ESCALATION_CHANNEL),
        (PUBLISH, Where.ROOT_MESSAGE),
    ],
)
def test_each_kind_says_where_it_speaks(kind: TimerKind, where: Where) -> None:
    assert kind.spec.where is where
