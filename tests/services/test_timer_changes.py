"""Breach, and what changes do to the timers: first response, priority, resolve, staleness."""

from __future__ import annotations

from datetime import timedelta

from bot.db.models import TimerState
from bot.domain.timer_kinds import TimerKind
from tests.services.timer_fakes import REQUESTER, SLACK_DOWN
from tests.services.timer_world import TimerWorld, local

SECOND = timedelta(seconds=1)


def test_the_breach_marks_the_request_says_so_once_and_escalates_next_tick(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    due = local(2026, 11, 18, 16, 0)
    desk_world.clock.set(due)

    first = desk_world.tick()
    assert desk_world.sender.take() == [(request.key, "first_response_breach")]
    # The reminders were skipped as stale news: the breach speaks for the whole clock.
    assert (first.claimed, first.delivered, first.skipped) == (3, 1, 0)
    assert desk_world.reload(request).breached_at == due

    second = desk_world.tick()
    assert desk_world.sender.take() == [(request.key, "breach_escalation")]
    assert second.delivered == 1
    assert desk_world.at(due.add(hours=3)) == []
    kinds = [(t.kind, t.state) for t in desk_world.timers(request) if t.state == "done"]
    assert sorted(kinds) == [
        ("breach_escalation", "done"),
        ("first_response_breach", "done"),
        ("first_response_reminder", "done"),
        ("first_response_reminder", "done"),
        ("publish_conversation", "done"),
    ]


def test_a_first_response_cancels_the_pings_and_the_breach(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    assert desk_world.at(local(2026, 11, 18, 15, 30)) == [(request.key, "first_response_reminder")]

    desk_world.clock.set(local(2026, 11, 18, 15, 40))
    desk_world.take(request)
    desk_world.respond(request)

    assert desk_world.at(local(2026, 11, 18, 17, 0)) == []
    assert desk_world.reload(request).breached_at is None
    assert [kind for kind, _ in desk_world.pending(request)] == [
        "resolution_reminder",
        "resolution_breach",
    ]


def test_a_requester_reply_does_not_stop_the_clock(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.respond(request, user=REQUESTER)

    assert desk_world.at(local(2026, 11, 18, 16, 0))[0] == (request.key, "first_response_breach")


def test_raising_the_priority_reschedules_from_the_creation_instant(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("low")  # due 19:00
    desk_world.clock.set(local(2026, 11, 18, 15, 40))
    desk_world.change_priority(request, "high")  # due 16:00; the 15:30 ping has passed

    assert desk_world.at(local(2026, 11, 18, 15, 47)) == []
    assert desk_world.at(local(2026, 11, 18, 15, 48)) == [(request.key, "first_response_reminder")]
    assert desk_world.at(local(2026, 11, 18, 16, 0))[0] == (request.key, "first_response_breach")
    # The Low timers (17:00, 18:12, 19:00) were cancelled: nothing more.
    assert desk_world.at(local(2026, 11, 18, 19, 30)) == []


def test_a_priority_change_whose_target_has_passed_breaches_at_once(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("low")
    late = local(2026, 11, 18, 16, 30)
    desk_world.clock.set(late)
    desk_world.change_priority(request, "high")  # its 16:00 target is already gone

    assert desk_world.at(late) == [
        (request.key, "first_response_breach"),
        (request.key, "breach_escalation"),
    ]
    assert desk_world.reload(request).breached_at == local(2026, 11, 18, 16, 0)


def test_lowering_the_priority_of_a_breached_request_gives_it_its_new_target(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.at(local(2026, 11, 18, 16, 0))
    desk_world.clock.set(local(2026, 11, 18, 16, 5))
    desk_world.change_priority(request, "low")  # due 19:00 again, from creation

    assert desk_world.reload(request).breached_at is None
    assert desk_world.at(local(2026, 11, 18, 18, 12)) == [(request.key, "first_response_reminder")]
    assert desk_world.at(local(2026, 11, 18, 19, 0))[0] == (request.key, "first_response_breach")


def test_resolving_cancels_every_clock(desk_world: TimerWorld) -> None:
    request = desk_world.file("critical")
    desk_world.clock.set(local(2026, 11, 18, 15, 5))
    desk_world.respond(request)
    desk_world.resolve(request)

    assert desk_world.pending(request) == []
    assert desk_world.at(local(2026, 11, 25, 15, 0)) == []


def test_a_stale_timer_does_nothing(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    with desk_world.desk.db.unit_of_work() as uow:
        # A ping left from an older version of the request (before some change).
        uow.timers.schedule(
            request_id=request.id,
            kind=TimerKind.FIRST_RESPONSE_REMINDER,
            at=local(2026, 11, 18, 15, 10),
            version=request.version - 1,
            fraction=0.8,
            now=local(2026, 11, 18, 15, 0),
        )

    desk_world.clock.set(local(2026, 11, 18, 15, 10))
    report = desk_world.tick()
    assert (report.claimed, report.skipped, report.delivered) == (1, 1, 0)
    assert desk_world.sender.take() == []


def test_a_first_response_while_the_tick_is_sending_keeps_the_ping_from_going_out(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")

    def engineer_answers_meanwhile(notices: object) -> None:
        desk_world.respond(request)

    desk_world.sender.before_send = engineer_answers_meanwhile
    desk_world.clock.set(local(2026, 11, 18, 15, 30))
    report = desk_world.tick()

    assert (report.claimed, report.delivered, report.lost) == (1, 0, 1)
    assert desk_world.sender.take() == []
    [ping] = [t for t in desk_world.timers(request) if t.kind == "first_response_reminder"][:1]
    assert ping.state == TimerState.CANCELLED


def test_a_missing_conversation_fails_for_good_without_retries(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.sender.fail_next(permanent=True)
    desk_world.clock.set(local(2026, 11, 18, 15, 30))

    report = desk_world.tick()
    assert (report.delivered, report.retried, report.failed) == (0, 0, 1)
    timer = next(t for t in desk_world.timers(request) if t.kind == "first_response_reminder")
    assert timer.state == TimerState.FAILED
    assert timer.attempts == 1
    assert timer.last_error == SLACK_DOWN
