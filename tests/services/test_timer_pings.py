"""Pings before the first-response target, at their instants, on the right clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pendulum import DateTime

from bot.db.engine import Database
from tests.services.timer_world import TimerWorld, local

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("priority", "pings", "due"),
    [
        ("low", [local(2026, 11, 18, 17, 0), local(2026, 11, 18, 18, 12)], (19, 0)),
        ("medium", [local(2026, 11, 18, 16, 0), local(2026, 11, 18, 16, 36)], (17, 0)),
        ("high", [local(2026, 11, 18, 15, 30), local(2026, 11, 18, 15, 48)], (16, 0)),
        ("critical", [local(2026, 11, 18, 15, 7, 30), local(2026, 11, 18, 15, 12)], (15, 15)),
    ],
)
def test_pings_at_50_and_80_percent_then_the_breach(
    desk_world: TimerWorld, priority: str, pings: list[DateTime], due: tuple[int, int]
) -> None:
    request = desk_world.file(priority)
    key = request.key

    for instant, fraction in zip(pings, (0.5, 0.8), strict=True):
        assert desk_world.at(instant - SECOND) == []
        assert desk_world.at(instant) == [(key, "first_response_reminder")]
        [ping] = desk_world.last
        assert ping.fraction == fraction
        assert ping.due_at == local(2026, 11, 18, *due)
    breach_at = local(2026, 11, 18, *due)
    assert desk_world.at(breach_at - SECOND) == []
    assert desk_world.at(breach_at) == [(key, "first_response_breach"), (key, "breach_escalation")]
    assert desk_world.at(breach_at.add(days=1)) == []


def test_a_request_filed_late_on_friday_waits_for_sunday_to_be_pinged(
    desk_world: TimerWorld,
) -> None:
    friday = local(2026, 11, 20, 19, 0)
    request = desk_world.file("low", at=friday)
    sunday_opening = local(2026, 11, 22, 18, 0)

    # Half the 4 hours runs out at the very close on Friday: the ping waits for the opening.
    assert desk_world.pending(request)[0] == ("first_response_reminder", sunday_opening)
    instant = friday
    while instant < sunday_opening:
        assert desk_world.at(instant) == [], instant
        instant = instant.add(hours=1)
    assert desk_world.at(sunday_opening - SECOND) == []
    assert desk_world.at(sunday_opening) == [(request.key, "first_response_reminder")]
    assert desk_world.at(local(2026, 11, 22, 19, 12)) == [(request.key, "first_response_reminder")]
    assert desk_world.at(local(2026, 11, 22, 19, 59)) == []
    assert desk_world.at(local(2026, 11, 22, 20, 0))[0] == (request.key, "first_response_breach")


def test_critical_runs_on_the_wall_clock_over_the_weekend(desk_world: TimerWorld) -> None:
    saturday = local(2026, 11, 21, 10, 0)
    request = desk_world.file("critical", at=saturday)

    assert desk_world.at(saturday.add(minutes=7)) == []
    assert desk_world.at(saturday.add(minutes=7, seconds=30)) == [
        (request.key, "first_response_reminder")
    ]
    assert desk_world.at(saturday.add(minutes=12)) == [(request.key, "first_response_reminder")]
    assert desk_world.at(saturday.add(minutes=15))[0] == (request.key, "first_response_breach")


def test_a_ping_missed_while_down_is_not_sent_on_a_closed_saturday(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high", at=local(2026, 11, 20, 20, 15))
    # The 50% ping fell due at 20:45 while the app was down; it comes back on Saturday.
    assert desk_world.at(local(2026, 11, 21, 10, 0)) == []
    sunday = local(2026, 11, 22, 18, 0)
    assert ("first_response_reminder", sunday) in desk_world.pending(request)

    assert desk_world.at(sunday - SECOND) == []
    assert desk_world.at(sunday) == [(request.key, "first_response_reminder")]
    assert desk_world.last[0].fraction == 0.5
    assert desk_world.at(sunday.add(minutes=3)) == [(request.key, "first_response_reminder")]
    assert desk_world.last[0].fraction == 0.8
    assert desk_world.at(sunday.add(minutes=15))[0] == (request.key, "first_response_breach")


@pytest.mark.parametrize(
    ("friday", "sunday", "utc_hour"),
    [
        # Spring forward (8 March 2026): Friday is EST, Sunday evening is EDT.
        (local(2026, 3, 6, 20, 0), (2026, 3, 8), 23),
        # Fall back (1 November 2026): Friday is EDT, Sunday evening is EST.
        (local(2026, 10, 30, 20, 0), (2026, 11, 1), 0),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_daylight_saving_weekends_keep_pings_on_local_business_time(
    database: Database, friday: DateTime, sunday: tuple[int, int, int], utc_hour: int
) -> None:
    world = TimerWorld(database, friday)
    request = world.file("low")
    # 1 h on Friday, then the rest from Sunday 18:00 local, whatever the offset is by then.
    ping = local(*sunday, 19, 0)
    assert ping.in_timezone("UTC").hour == utc_hour

    assert world.at(ping - SECOND) == []
    assert world.at(ping) == [(request.key, "first_response_reminder")]
    assert world.at(local(*sunday, 20, 12)) == [(request.key, "first_response_reminder")]
    assert world.at(local(*sunday, 20, 59)) == []
    assert world.at(local(*sunday, 21, 0))[0] == (request.key, "first_response_breach")


def test_a_holiday_stops_the_business_clock(database: Database) -> None:
    world = TimerWorld(database, local(2026, 11, 25, 23, 30), holidays={date(2026, 11, 26)})
    request = world.file("high")

    # 30 minutes on Wednesday night; Thanksgiving is closed; the rest from Friday 00:00.
    assert world.at(local(2026, 11, 26, 0, 0)) == []
    assert world.at(local(2026, 11, 26, 12, 0)) == []
    assert world.at(local(2026, 11, 26, 23, 59)) == []
    assert world.at(local(2026, 11, 27, 0, 0)) == [(request.key, "first_response_reminder")]
    assert world.at(local(2026, 11, 27, 0, 18)) == [(request.key, "first_response_reminder")]
    assert world.at(local(2026, 11, 27, 0, 29)) == []
    assert world.at(local(2026, 11, 27, 0, 30))[0] == (request.key, "first_response_breach")
