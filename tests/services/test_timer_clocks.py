"""The Critical update cadence and the resolution clock (pauses, Development)."""

from __future__ import annotations

from datetime import timedelta

from tests.services.timer_fakes import REQUESTER
from tests.services.timer_world import TimerWorld, local

SECOND = timedelta(seconds=1)
WEDNESDAY = (2026, 11, 18)


def test_critical_asks_for_an_update_every_30_minutes_after_the_first_response(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(request)

    for minute in (35, 65, 95):
        instant = local(*WEDNESDAY, 15, 0).add(minutes=minute)
        assert desk_world.at(instant - SECOND) == []
        assert desk_world.at(instant) == [(request.key, "critical_update")]


def test_an_engineer_reply_restarts_the_30_minutes_and_a_requester_reply_does_not(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(request)
    desk_world.clock.set(local(*WEDNESDAY, 15, 20))
    desk_world.respond(request)  # an update: next nudge at 15:50, not 15:35
    desk_world.clock.set(local(*WEDNESDAY, 15, 30))
    desk_world.respond(request, user=REQUESTER)

    assert desk_world.at(local(*WEDNESDAY, 15, 49)) == []
    assert desk_world.at(local(*WEDNESDAY, 15, 50)) == [(request.key, "critical_update")]
    assert desk_world.at(local(*WEDNESDAY, 16, 20)) == [(request.key, "critical_update")]


def test_no_update_nudges_before_a_first_response_or_after_resolving(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("critical")
    # Before the first response only the first-response clock speaks.
    kinds = {kind for _, kind in desk_world.at(local(*WEDNESDAY, 16, 0))}
    assert kinds == {"first_response_breach", "breach_escalation"}
    desk_world.respond(request)
    desk_world.resolve(request)
    assert desk_world.at(local(*WEDNESDAY, 18, 0)) == []


def test_the_resolution_clock_pings_and_breaches_on_business_time(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.take(request)
    desk_world.respond(request)

    # 96 h of open time from Wednesday 15:00: 54 h until Friday's close, 42 h from Sunday.
    assert desk_world.reload(request).resolution_due_at == local(2026, 11, 24, 12)
    assert desk_world.at(local(2026, 11, 20, 15, 0)) == []  # no reminder at 50 %
    assert desk_world.at(local(2026, 11, 23, 16, 47)) == []
    assert desk_world.at(local(2026, 11, 23, 16, 48)) == [(request.key, "resolution_reminder")]
    assert desk_world.last[0].fraction == 0.8
    assert desk_world.at(local(2026, 11, 24, 11, 59)) == []
    assert desk_world.at(local(2026, 11, 24, 12, 0)) == [
        (request.key, "resolution_breach"),
        (request.key, "resolution_escalation"),
    ]
    assert desk_world.reload(request).resolution_breached_at == local(2026, 11, 24, 12)


def test_waiting_on_the_customer_moves_the_resolution_due_by_the_paused_time(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.take(request)
    desk_world.respond(request)
    desk_world.clock.set(local(2026, 11, 19, 15, 0))
    desk_world.wait_on_customer(request)

    assert desk_world.pending(request) == []  # paused: no reminder, no breach
    assert desk_world.at(local(2026, 11, 20, 15, 0)) == []
    desk_world.customer_replied(request)  # paused 24 h of business time

    assert desk_world.reload(request).resolution_due_at == local(2026, 11, 25, 12)
    # The 80% ping moves from Monday 16:48 by the paused day.
    assert desk_world.at(local(2026, 11, 23, 16, 48)) == []
    assert desk_world.at(local(2026, 11, 24, 16, 47)) == []
    assert desk_world.at(local(2026, 11, 24, 16, 48)) == [(request.key, "resolution_reminder")]
    assert desk_world.at(local(2026, 11, 25, 12, 0))[0] == (request.key, "resolution_breach")


def test_a_pause_over_the_weekend_counts_only_business_time(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    desk_world.clock.set(local(2026, 11, 20, 20, 0))
    desk_world.wait_on_customer(request)
    desk_world.clock.set(local(2026, 11, 23, 10, 0))
    desk_world.customer_replied(request)

    # 1 h on Friday, 6 h on Sunday, 10 h on Monday: 17 h, not the 62 wall-clock hours.
    fresh = desk_world.reload(request)
    assert fresh.resolution_paused_seconds == 17 * 3600
    assert fresh.resolution_due_at == local(2026, 11, 25, 5, 0)


def test_escalated_to_development_the_resolution_clock_stops_for_good(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    desk_world.clock.set(local(2026, 11, 19, 10, 0))
    desk_world.escalate_to_development(request)
    assert desk_world.pending(request) == []

    # Waiting on the customer and their reply later must not bring the clock back.
    desk_world.wait_on_customer(request)
    desk_world.clock.set(local(2026, 11, 19, 11, 0))
    desk_world.customer_replied(request)
    assert desk_world.pending(request) == []
    assert desk_world.at(local(2026, 12, 1, 12, 0)) == []


def test_a_resolution_ping_missed_while_down_waits_for_the_opening(
    desk_world: TimerWorld,
) -> None:
    # Filed Tuesday 15:12: 80% of 96 business hours is Friday 20:00, an hour before closing.
    request = desk_world.file("high", at=local(2026, 11, 24, 15, 12))
    desk_world.take(request)
    desk_world.respond(request)
    assert ("resolution_reminder", local(2026, 11, 27, 20, 0)) in desk_world.pending(request)

    # The ping fell due Friday 20:00 while the app was down; it is back on Saturday.
    assert desk_world.at(local(2026, 11, 28, 12, 0)) == []
    assert desk_world.at(local(2026, 11, 29, 17, 59)) == []
    assert desk_world.at(local(2026, 11, 29, 18, 0)) == [(request.key, "resolution_reminder")]
    assert desk_world.last[0].fraction == 0.8
