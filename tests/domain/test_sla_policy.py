"""SlaPolicy: first-response and resolution due instants, reminders, time left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.requests import Priority
from bot.domain.sla import (
    CRITICAL_UPDATE_INTERVAL,
    FIRST_RESPONSE_TARGETS,
    RESOLUTION_TARGET,
    SlaClock,
    SlaPolicy,
    clock_for,
)

from .helpers import ny, utc

H = timedelta(hours=1)
MIN = timedelta(minutes=1)


@pytest.fixture
def policy(default_calendar: BusinessCalendar) -> SlaPolicy:
    return SlaPolicy(default_calendar)


def test_the_matrix() -> None:
    assert dict(FIRST_RESPONSE_TARGETS) == {
        Priority.LOW: 4 * H,
        Priority.MEDIUM: 2 * H,
        Priority.HIGH: H,
        Priority.CRITICAL: 15 * MIN,
    }
    assert RESOLUTION_TARGET == 96 * H
    assert CRITICAL_UPDATE_INTERVAL == 30 * MIN
    assert [clock_for(p) for p in Priority] == [SlaClock.BUSINESS] * 3 + [SlaClock.WALL]
    assert SlaClock.BUSINESS.value == "business"


def test_policy_example_high_friday_evening(policy: SlaPolicy) -> None:
    due = policy.first_response_due(Priority.HIGH, utc("2026-11-20T20:30:00-05:00"))
    assert due == utc("2026-11-22T23:30:00Z")
    assert due.timezone_name == "UTC"


@pytest.mark.parametrize(
    ("priority", "created", "due"),
    [
        (Priority.LOW, ny(2026, 11, 20, 17), ny(2026, 11, 20, 21)),  # exactly at the close
        (Priority.MEDIUM, ny(2026, 11, 20, 19), ny(2026, 11, 20, 21)),
        (Priority.HIGH, ny(2026, 11, 20, 20), ny(2026, 11, 20, 21)),
        (Priority.LOW, ny(2026, 11, 20, 17, 0, 1), ny(2026, 11, 22, 18, 0, 1)),
        (Priority.LOW, ny(2026, 11, 21, 10), ny(2026, 11, 22, 22)),  # created while closed
        (Priority.MEDIUM, ny(2026, 11, 22, 17, 59, 59), ny(2026, 11, 22, 20)),
        (Priority.HIGH, ny(2026, 11, 20, 21), ny(2026, 11, 22, 19)),
        (Priority.CRITICAL, ny(2026, 11, 21, 10), ny(2026, 11, 21, 10, 15)),  # 24/7
    ],
)
def test_first_response_due(
    policy: SlaPolicy, priority: Priority, created: DateTime, due: DateTime
) -> None:
    assert policy.first_response_due(priority, created) == due


def test_closing_instant_rule_in_utc(policy: SlaPolicy) -> None:
    due = policy.first_response_due(Priority.LOW, utc("2026-11-20T17:00:00-05:00"))
    assert due == utc("2026-11-21T02:00:00Z")


@pytest.mark.parametrize(
    ("created", "due_utc", "local"),
    [
        (ny(2026, 3, 6, 20, 30), "2026-03-08T22:30:00Z", "2026-03-08T18:30:00-04:00"),
        (ny(2026, 10, 30, 20, 30), "2026-11-01T23:30:00Z", "2026-11-01T18:30:00-05:00"),
    ],
)
def test_high_before_a_dst_weekend_is_due_sunday_18_30_local(
    policy: SlaPolicy, created: DateTime, due_utc: str, local: str
) -> None:
    due = policy.first_response_due(Priority.HIGH, created)
    assert due == utc(due_utc)
    assert due.in_timezone("America/New_York").isoformat() == local


@pytest.mark.parametrize(
    ("created", "due_utc"),
    [
        ("2026-03-08T06:50:00Z", "2026-03-08T07:05:00Z"),  # 01:50 EST -> 03:05 EDT
        ("2026-11-01T05:50:00Z", "2026-11-01T06:05:00Z"),  # 01:50 EDT -> 01:05 EST
    ],
)
def test_critical_runs_on_the_wall_clock_across_dst(
    policy: SlaPolicy, created: str, due_utc: str
) -> None:
    assert policy.first_response_due(Priority.CRITICAL, utc(created)) == utc(due_utc)


def test_holiday_pushes_business_targets_not_critical(
    holiday_calendar: BusinessCalendar,
) -> None:
    policy = SlaPolicy(holiday_calendar)
    wednesday_late = ny(2026, 11, 25, 22)
    assert policy.first_response_due(Priority.LOW, wednesday_late) == ny(2026, 11, 27, 2)
    thanksgiving = ny(2026, 11, 26, 12)
    assert policy.first_response_due(Priority.HIGH, thanksgiving) == ny(2026, 11, 27, 1)
    assert policy.first_response_due(Priority.CRITICAL, thanksgiving) == ny(2026, 11, 26, 12, 15)


def test_reminders_use_the_priority_clock(policy: SlaPolicy) -> None:
    created = ny(2026, 11, 20, 20, 30)
    assert policy.reminder_instants(Priority.HIGH, created) == [
        (0.5, ny(2026, 11, 20, 21)),  # half the target runs out exactly at the close
        (0.8, ny(2026, 11, 22, 18, 18)),
    ]
    assert policy.reminder_instants(Priority.CRITICAL, created) == [
        (0.5, ny(2026, 11, 20, 20, 37, 30)),
        (0.8, ny(2026, 11, 20, 20, 42)),
    ]
    assert policy.fraction_instant(Priority.LOW, created, 0) == created
    with pytest.raises(ValueError, match="fraction"):
        policy.fraction_instant(Priority.LOW, created, -0.1)


def test_reminder_fractions_are_validated_and_sorted(
    default_calendar: BusinessCalendar,
) -> None:
    assert SlaPolicy(default_calendar, (0.8, 0.25, 0.8)).reminder_fractions == (0.25, 0.8)
    for bad in (0.0, 1.0, 1.5, -0.2, float("nan")):
        with pytest.raises(ValueError, match="between 0 and 1"):
            SlaPolicy(default_calendar, (bad,))


def test_remaining(policy: SlaPolicy) -> None:
    created = ny(2026, 11, 20, 20, 30)
    assert policy.remaining(Priority.HIGH, created, ny(2026, 11, 20, 20, 45)) == 45 * MIN
    assert policy.remaining(Priority.HIGH, created, ny(2026, 11, 21, 12)) == 30 * MIN
    assert policy.remaining(Priority.HIGH, created, ny(2026, 11, 22, 19)) == -30 * MIN
    # Due at Friday's close: zero business time left all weekend, then negative.
    low = ny(2026, 11, 20, 17)
    assert policy.remaining(Priority.LOW, low, ny(2026, 11, 21, 12)) == timedelta(0)
    assert policy.remaining(Priority.LOW, low, ny(2026, 11, 22, 18, 5)) == -5 * MIN
    critical = policy.remaining(Priority.CRITICAL, created, ny(2026, 11, 20, 21))
    assert critical == -15 * MIN
    assert type(critical) is timedelta


def test_resolution_due_counts_96_open_hours(
    policy: SlaPolicy, holiday_calendar: BusinessCalendar
) -> None:
    monday = ny(2026, 11, 16, 9)
    assert policy.resolution_due(monday) == ny(2026, 11, 20, 9)
    friday = ny(2026, 11, 20, 9)  # 12 h on Friday, 84 h from Sunday 18:00
    assert policy.resolution_due(friday) == ny(2026, 11, 26, 6)
    holiday_policy = SlaPolicy(holiday_calendar)
    assert holiday_policy.resolution_due(friday) == ny(2026, 11, 27, 6)
    assert holiday_policy.resolution_due(friday, paused=2 * H) == ny(2026, 11, 27, 8)
    assert policy.resolution_fraction_instant(monday, 0.5) == ny(2026, 11, 18, 9)
    assert policy.resolution_fraction_instant(monday, 0.5, paused=H) == ny(2026, 11, 18, 10)
    with pytest.raises(ValueError, match="paused"):
        policy.resolution_due(monday, paused=-H)


def test_open_at(policy: SlaPolicy) -> None:
    assert policy.open_at(ny(2026, 11, 20, 20, 59, 59))
    assert not policy.open_at(ny(2026, 11, 20, 21))


def test_explain_due_for_a_business_clock(policy: SlaPolicy) -> None:
    explanation = policy.explain_due(Priority.HIGH, utc("2026-11-20T20:30:00-05:00"))
    assert explanation.clock is SlaClock.BUSINESS
    assert explanation.open_at_creation
    assert explanation.target == H
    assert explanation.created_at == utc("2026-11-21T01:30:00Z")
    assert explanation.clock_starts_at == explanation.created_at
    assert explanation.due_at == utc("2026-11-22T23:30:00Z")
    assert explanation.due_local.isoformat() == "2026-11-22T18:30:00-05:00"
    spans = [(s.start_local.isoformat(), s.end_local.isoformat()) for s in explanation.intervals]
    assert spans == [
        ("2026-11-20T20:30:00-05:00", "2026-11-20T21:00:00-05:00"),
        ("2026-11-22T18:00:00-05:00", "2026-11-22T18:30:00-05:00"),
    ]
    assert explanation.intervals[0].start.timezone_name == "UTC"
    assert sum((s.length for s in explanation.intervals), timedelta(0)) == H


def test_explain_due_created_while_closed_and_critical(policy: SlaPolicy) -> None:
    closed = policy.explain_due(Priority.MEDIUM, ny(2026, 11, 21, 10))
    assert not closed.open_at_creation
    assert closed.clock_starts_at == ny(2026, 11, 22, 18)
    assert closed.clock_starts_local.hour == 18
    assert [(s.start, s.end) for s in closed.intervals] == [
        (ny(2026, 11, 22, 18), ny(2026, 11, 22, 20))
    ]
    critical = policy.explain_due(Priority.CRITICAL, ny(2026, 11, 21, 10))
    assert critical.clock is SlaClock.WALL
    assert not critical.open_at_creation
    assert critical.clock_starts_at == ny(2026, 11, 21, 10)
    assert [(s.start, s.end) for s in critical.intervals] == [
        (ny(2026, 11, 21, 10), ny(2026, 11, 21, 10, 15))
    ]
    assert critical.created_local.isoformat() == "2026-11-21T10:00:00-05:00"
