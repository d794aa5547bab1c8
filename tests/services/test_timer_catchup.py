"""After downtime: only the newest relevant notice per request, in bounded batches."""

from __future__ import annotations

from collections import Counter

from bot.db.engine import Database
from tests.services.timer_world import TimerWorld, local

WEDNESDAY = (2026, 11, 18)


def test_back_after_downtime_each_request_gets_only_its_newest_notice(
    desk_world: TimerWorld,
) -> None:
    high = desk_world.file("high")  # due 16:00
    medium = desk_world.file("medium")  # due 17:00
    critical = desk_world.file("critical")  # due 15:15
    low = desk_world.file("low")  # pings 17:00 and 18:12, due 19:00
    answered = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(answered)  # update nudges due 15:35, 16:05, ... 18:05

    # Down from 15:05 until 18:30.
    sent = desk_world.at(local(*WEDNESDAY, 18, 30))

    assert sorted(sent) == sorted(
        [
            (high.key, "first_response_breach"),
            (medium.key, "first_response_breach"),
            (critical.key, "first_response_breach"),
            (high.key, "breach_escalation"),
            (medium.key, "breach_escalation"),
            (critical.key, "breach_escalation"),
            (low.key, "first_response_reminder"),
            (answered.key, "critical_update"),
        ]
    )
    [ping] = [n for n in desk_world.last if n.request.key == low.key]
    assert ping.fraction == 0.8
    # The cadence restarts from now instead of replaying the missed nudges.
    assert desk_world.at(local(*WEDNESDAY, 18, 59)) == []
    assert sorted(desk_world.at(local(*WEDNESDAY, 19, 0))) == sorted(
        [
            (low.key, "first_response_breach"),
            (low.key, "breach_escalation"),
            (answered.key, "critical_update"),
        ]
    )


def test_a_backlog_is_taken_in_bounded_batches(database: Database) -> None:
    world = TimerWorld(database, local(*WEDNESDAY, 15, 0), batch=10)
    requests = [world.file("high") for _ in range(12)]
    world.clock.set(local(*WEDNESDAY, 17, 0))

    claimed = []
    for _ in range(20):
        report = world.tick()
        if not report.claimed:
            break
        claimed.append(report.claimed)

    # 36 first-response timers, then 12 escalations: never more than 10 at a time.
    assert max(claimed) == 10
    assert sum(claimed) == 36 + 12
    counts = Counter(world.sender.take())
    assert counts == Counter(
        {
            (r.key, kind): 1
            for r in requests
            for kind in ("first_response_breach", "breach_escalation")
        }
    )
