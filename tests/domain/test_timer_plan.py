"""The timer plan: which clock timers a request should have now, under its own terms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.due_timers import decide
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.domain.sla_terms import FIRST_RESPONSE_TARGETS, SlaTerms
from bot.domain.timer_kinds import CLOCK_KINDS, DueTimer, TimerKind
from bot.domain.timer_plan import Plan, expects_updates, next_update_at, plan_timers
from tests.conftest import new_request
from tests.domain.helpers import ny

POLICY = SlaPolicy(BusinessCalendar.default())
CREATED = ny(2026, 11, 18, 15)  # a Wednesday afternoon: open
HALF_HOUR = timedelta(minutes=30)

FR_REMINDER = TimerKind.FIRST_RESPONSE_REMINDER
FR_BREACH = TimerKind.FIRST_RESPONSE_BREACH
RES_REMINDER = TimerKind.RESOLUTION_REMINDER
RES_BREACH = TimerKind.RESOLUTION_BREACH
UPDATE = TimerKind.CRITICAL_UPDATE
ASSIGNEE = "U_ERIN"
# 96 business hours from Wednesday 15:00: 54 h until Friday's close, 42 h from Sunday 18:00.
# One reminder, to the assignee, at the last fraction (80 %); the breach in any case.
RESOLUTION_BREACH = (RES_BREACH, ny(2026, 11, 24, 12), None)
RESOLUTION_CLOCK = [(RES_REMINDER, ny(2026, 11, 23, 16, 48), 0.8), RESOLUTION_BREACH]


def filed(priority: str = "high", created: DateTime = CREATED, **changes: Any) -> Request:
    """A request filed at `created` under the policy's terms of the day."""
    impact = Priority(priority)
    due = POLICY.under(changes.get("terms", POLICY.terms)).first_response_due(impact, created)
    fields: dict[str, Any] = {
        "id": 7,
        "priority": impact,
        "created_at": created,
        "first_response_due_at": due,
        "slack_channel_id": "C_SUPPORT",
        "thread_ts": "1700000000.000001",
    }
    fields.update(changes)
    return new_request(**fields)


def timers(plan: Plan) -> list[tuple[TimerKind, DateTime, float | None]]:
    return [(t.kind, t.at, t.fraction) for t in plan.timers]


def kinds(plan: Plan) -> list[TimerKind]:
    return [t.kind for t in plan.timers]


def test_a_new_request_gets_its_pings_its_breach_and_its_resolution_clock() -> None:
    plan = plan_timers(filed("high", assignee_id=ASSIGNEE), policy=POLICY, now=CREATED)

    assert timers(plan) == [
        (FR_REMINDER, ny(2026, 11, 18, 15, 30), 0.5),
        (FR_REMINDER, ny(2026, 11, 18, 15, 48), 0.8),
        (FR_BREACH, ny(2026, 11, 18, 16), None),
        *RESOLUTION_CLOCK,
    ]
    assert plan.request.resolution_due_at == ny(2026, 11, 24, 12)
    assert set(kinds(plan)) <= set(CLOCK_KINDS)


def test_an_answered_request_keeps_only_its_resolution_clock() -> None:
    answered = filed(
        "high",
        first_responded_at=CREATED.add(minutes=5),
        status="in_progress",
        assignee_id=ASSIGNEE,
    )

    assert timers(plan_timers(answered, policy=POLICY, now=CREATED.add(minutes=5))) == (
        RESOLUTION_CLOCK
    )


def test_an_unassigned_request_gets_no_resolution_reminder_only_its_breach() -> None:
    unassigned = filed("high", first_responded_at=CREATED, status="in_progress")

    assert timers(plan_timers(unassigned, policy=POLICY, now=CREATED)) == [RESOLUTION_BREACH]


def test_taking_the_request_plans_its_one_resolution_reminder() -> None:
    taken = filed("high", first_responded_at=CREATED, assignee_id=ASSIGNEE)
    late = ny(2026, 11, 23, 17)  # after the 80 % instant: nothing left to remind of

    assert [
        t for t in timers(plan_timers(taken, policy=POLICY, now=CREATED)) if t[0] is RES_REMINDER
    ] == [(RES_REMINDER, ny(2026, 11, 23, 16, 48), 0.8)]
    assert timers(plan_timers(taken, policy=POLICY, now=late)) == [RESOLUTION_BREACH]


def test_the_resolution_reminder_comes_at_the_largest_fraction_whatever_the_order() -> None:
    own = SlaTerms(reminder_fractions=(0.9, 0.25, 0.5))
    taken = filed("high", first_responded_at=CREATED, assignee_id=ASSIGNEE, terms=own)

    reminders = [
        t for t in plan_timers(taken, policy=POLICY, now=CREATED).timers if t.kind is RES_REMINDER
    ]

    assert [(t.fraction, t.at) for t in reminders] == [(0.9, ny(2026, 11, 24, 2, 24))]


def test_no_reminder_fractions_means_no_resolution_reminder() -> None:
    own = SlaTerms(reminder_fractions=())
    taken = filed("high", first_responded_at=CREATED, assignee_id=ASSIGNEE, terms=own)

    assert kinds(plan_timers(taken, policy=POLICY, now=CREATED)) == [RES_BREACH]


def test_critical_asks_for_updates_from_the_first_response() -> None:
    answered = filed("critical", first_responded_at=CREATED.add(minutes=5))
    updated = answered.but(last_engineer_reply_at=CREATED.add(minutes=20))

    unanswered_plan = plan_timers(filed("critical"), policy=POLICY, now=CREATED)
    answered_plan = plan_timers(answered, policy=POLICY, now=CREATED.add(minutes=5))
    updated_plan = plan_timers(updated, policy=POLICY, now=CREATED.add(minutes=20))

    assert UPDATE not in kinds(unanswered_plan)
    assert [t.at for t in answered_plan.timers if t.kind is UPDATE] == [CREATED.add(minutes=35)]
    assert [t.at for t in updated_plan.timers if t.kind is UPDATE] == [CREATED.add(minutes=50)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "waiting_on_customer"}, [FR_REMINDER, FR_REMINDER, FR_BREACH]),
        (
            {"escalated_to_development_at": CREATED, "status": "escalated_to_development"},
            [FR_REMINDER, FR_REMINDER, FR_BREACH],
        ),
        (
            {"breached_at": CREATED, "assignee_id": ASSIGNEE},
            [FR_REMINDER, FR_REMINDER, RES_REMINDER, RES_BREACH],
        ),
        (
            {"resolution_breached_at": CREATED, "assignee_id": ASSIGNEE},
            [FR_REMINDER, FR_REMINDER, FR_BREACH, RES_REMINDER],
        ),
        ({"status": "resolved", "first_responded_at": CREATED}, []),
        ({"status": "resolved"}, []),
    ],
    ids=[
        "waiting",
        "with-development",
        "breached",
        "resolution-breached",
        "resolved",
        "resolved-unanswered",
    ],
)
def test_which_kinds_for_which_states(changes: dict[str, Any], expected: list[TimerKind]) -> None:
    assert kinds(plan_timers(filed("high", **changes), policy=POLICY, now=CREATED)) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "in_progress"}, True),
        ({"status": "new", "first_responded_at": None}, False),
        ({"status": "waiting_on_customer"}, False),
        ({"status": "escalated_to_development", "escalated_to_development_at": CREATED}, False),
        ({"status": "resolved"}, False),
        ({"status": "in_progress", "priority": Priority.HIGH}, False),
    ],
    ids=[
        "working",
        "unanswered",
        "waiting",
        "with-development",
        "resolved",
        "not-critical",
    ],
)
def test_expects_updates(changes: dict[str, Any], expected: bool) -> None:
    request = filed("critical", first_responded_at=CREATED).but(**changes)

    assert expects_updates(request) is expected


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "waiting_on_customer", "resolution_paused_since": CREATED},
        {"status": "escalated_to_development", "escalated_to_development_at": CREATED},
    ],
    ids=["waiting", "with-development"],
)
def test_a_critical_waiting_or_with_development_gets_no_update_nudges(
    changes: dict[str, Any],
) -> None:
    quiet = filed("critical", first_responded_at=CREATED, **changes)

    assert UPDATE not in kinds(plan_timers(quiet, policy=POLICY, now=CREATED.add(minutes=5)))


def test_a_resolved_critical_gets_no_update_nudges() -> None:
    resolved = filed("critical", first_responded_at=CREATED, status="resolved")

    assert plan_timers(resolved, policy=POLICY, now=CREATED.add(hours=1)).timers == ()


def test_a_request_off_the_resolution_clock_keeps_its_resolution_due() -> None:
    waiting = filed("high", status="waiting_on_customer", resolution_due_at=ny(2026, 11, 24, 12))

    assert plan_timers(waiting, policy=POLICY, now=CREATED).request == waiting


def test_passed_pings_are_dropped_and_an_overdue_breach_comes_at_once() -> None:
    late = ny(2026, 11, 18, 15, 40)
    overdue = ny(2026, 11, 18, 16, 30)

    assert timers(plan_timers(filed("high"), policy=POLICY, now=late))[:2] == [
        (FR_REMINDER, ny(2026, 11, 18, 15, 48), 0.8),
        (FR_BREACH, ny(2026, 11, 18, 16), None),
    ]
    assert timers(plan_timers(filed("high"), policy=POLICY, now=overdue))[0] == (
        FR_BREACH,
        overdue,
        None,
    )


def test_business_pings_landing_on_the_close_wait_for_the_opening() -> None:
    friday = ny(2026, 11, 20, 19)

    plan = plan_timers(filed("low", created=friday), policy=POLICY, now=friday)

    assert timers(plan)[:3] == [
        (FR_REMINDER, ny(2026, 11, 22, 18), 0.5),  # 2 h in lands on Friday's close
        (FR_REMINDER, ny(2026, 11, 22, 19, 12), 0.8),
        (FR_BREACH, ny(2026, 11, 22, 20), None),
    ]


def test_critical_pings_run_on_the_wall_clock_over_the_weekend() -> None:
    saturday = ny(2026, 11, 21, 10)

    plan = plan_timers(filed("critical", created=saturday), policy=POLICY, now=saturday)

    assert timers(plan)[:3] == [
        (FR_REMINDER, ny(2026, 11, 21, 10, 7, 30), 0.5),
        (FR_REMINDER, ny(2026, 11, 21, 10, 12), 0.8),
        (FR_BREACH, ny(2026, 11, 21, 10, 15), None),
    ]


def test_the_plan_uses_the_request_own_terms_not_the_live_policy() -> None:
    own = SlaTerms(
        reminder_fractions=(0.25, 0.9),
        first_response={**FIRST_RESPONSE_TARGETS, Priority.CRITICAL: timedelta(minutes=20)},
        resolution=timedelta(hours=48),
        update_interval=timedelta(minutes=10),
    )
    request = filed("critical", terms=own, assignee_id=ASSIGNEE)
    answered = request.but(first_responded_at=CREATED.add(minutes=5))

    plan = plan_timers(request, policy=POLICY, now=CREATED)
    answered_plan = plan_timers(answered, policy=POLICY, now=CREATED.add(minutes=5))

    assert POLICY.reminder_fractions == (0.5, 0.8)
    assert timers(plan) == [
        (FR_REMINDER, CREATED.add(minutes=5), 0.25),
        (FR_REMINDER, CREATED.add(minutes=18), 0.9),
        (FR_BREACH, CREATED.add(minutes=20), None),
        # 48 business hours: 12 h Wednesday, 24 h Thursday, 12 h Friday; one reminder, at 90 %.
        (RES_REMINDER, ny(2026, 11, 20, 10, 12), 0.9),
        (RES_BREACH, ny(2026, 11, 20, 15), None),
    ]
    assert [t.at for t in answered_plan.timers if t.kind is UPDATE] == [CREATED.add(minutes=15)]


def test_waiting_time_pushes_the_resolution_clock_back() -> None:
    request = filed(
        "high",
        first_responded_at=CREATED,
        resolution_paused_seconds=24 * 3600,
        assignee_id=ASSIGNEE,
    )

    plan = plan_timers(request, policy=POLICY, now=CREATED)

    assert plan.request.resolution_due_at == ny(2026, 11, 25, 12)
    # 80 % of 96 h is 76.8 h of business time, counted from a day later.
    assert timers(plan)[0] == (RES_REMINDER, ny(2026, 11, 24, 16, 48), 0.8)


# The Critical update cadence: one function for the plan and the due-timer rules


def test_next_update_at_on_time_is_an_interval_after_the_last_update() -> None:
    last = ny(2026, 11, 18, 15, 5)

    assert next_update_at(last, now=last, interval=HALF_HOUR) == last.add(minutes=30)
    assert next_update_at(last, now=last.add(minutes=29), interval=HALF_HOUR) == last.add(
        minutes=30
    )


@pytest.mark.parametrize("late", [timedelta(0), timedelta(minutes=1), timedelta(hours=2)])
def test_next_update_at_overdue_restarts_the_cadence_from_now(late: timedelta) -> None:
    last = ny(2026, 11, 18, 15, 5)
    now = last + HALF_HOUR + late

    assert next_update_at(last, now=now, interval=HALF_HOUR) == now + HALF_HOUR


@pytest.mark.parametrize(
    "now",
    [ny(2026, 11, 18, 15, 35), ny(2026, 11, 18, 16, 50)],
    ids=["on-time", "after-downtime"],
)
def test_the_plan_and_the_due_nudge_agree_on_the_next_update(now: DateTime) -> None:
    """Re-planned at the nudge's tick, or followed up by it: the same next instant."""
    request = filed(
        "critical",
        first_responded_at=ny(2026, 11, 18, 15, 5),
        status="in_progress",
        version=3,
    )
    nudge = DueTimer(id=1, kind=UPDATE, fire_at=ny(2026, 11, 18, 15, 35), request_version=3)

    planned = [
        t.at for t in plan_timers(request, policy=POLICY, now=now).timers if t.kind is UPDATE
    ]
    decision = decide(request, [nudge], policy=POLICY, now=now)

    assert [n.kind for n in decision.notices] == [UPDATE]
    assert [f.at for f in decision.follow_ups] == planned == [now + HALF_HOUR]
