"""Failed sends: bounded retries with backoff, Retry-After honoured, then failed for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.db.models import Timer, TimerState
from bot.domain.model import Request
from bot.services.ledger import MAX_ATTEMPTS, backoff
from tests.services.timer_fakes import SLACK_DOWN
from tests.services.timer_world import TimerWorld, local

PING_AT = local(2026, 11, 18, 15, 7, 30)


def _ping_timer(world: TimerWorld, request: Request) -> Timer:
    return next(t for t in world.timers(request) if t.kind == "first_response_reminder")


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 10)] == [10, 20, 40, 80, 300]
    assert backoff(1, retry_after=30).total_seconds() == 30


def test_a_failing_send_is_retried_with_backoff_then_marked_failed(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("critical")
    desk_world.sender.fail_next(MAX_ATTEMPTS + 5)
    desk_world.clock.set(PING_AT)

    for tries, wait in enumerate((10, 20, 40), start=1):
        report = desk_world.tick()
        assert report.retried == 1, tries
        timer = _ping_timer(desk_world, request)
        assert (timer.state, timer.attempts) == (TimerState.PENDING, tries)
        # Not a moment before the backoff has passed.
        desk_world.clock.advance(seconds=wait - 1)
        assert desk_world.tick().claimed == 0
        desk_world.clock.advance(seconds=1)

    report = desk_world.tick()
    assert (report.retried, report.failed) == (0, 1)
    timer = _ping_timer(desk_world, request)
    assert (timer.state, timer.attempts) == (TimerState.FAILED, MAX_ATTEMPTS)
    assert timer.last_error == SLACK_DOWN
    # Never again, however long we wait; the breach (its own timer) still comes.
    assert desk_world.at(local(2026, 11, 18, 15, 14)) == []
    assert _ping_timer(desk_world, request).attempts == MAX_ATTEMPTS


def test_a_send_that_recovers_is_delivered_once(desk_world: TimerWorld) -> None:
    request = desk_world.file("critical")
    desk_world.sender.fail_next(2)
    desk_world.clock.set(PING_AT)

    assert desk_world.tick().retried == 1
    assert desk_world.at(PING_AT.add(seconds=10)) == []  # second failure
    assert desk_world.at(PING_AT.add(seconds=30)) == [(request.key, "first_response_reminder")]
    assert _ping_timer(desk_world, request).state == TimerState.DONE
    assert desk_world.at(PING_AT.add(seconds=200)) == []


@pytest.mark.parametrize("retry_after", [90.0])
def test_slack_retry_after_is_honoured(desk_world: TimerWorld, retry_after: float) -> None:
    request = desk_world.file("critical")
    desk_world.sender.fail_next(retry_after=retry_after)
    desk_world.clock.set(PING_AT)
    desk_world.tick()

    assert desk_world.at(PING_AT + timedelta(seconds=retry_after - 1)) == []
    assert desk_world.at(PING_AT + timedelta(seconds=retry_after)) == [
        (request.key, "first_response_reminder")
    ]


def test_a_request_that_cannot_be_decided_fails_its_timers_and_spares_the_rest(
    desk_world: TimerWorld,
) -> None:
    broken = desk_world.file("critical")
    healthy = desk_world.file("critical")
    with desk_world.desk.db.session() as session:
        # Not an impact this version knows (written behind the typed column's back).
        session.connection().execute(
            text("UPDATE support_requests SET priority = 'urgent' WHERE id = :id"),
            {"id": broken.id},
        )
    desk_world.clock.set(PING_AT)

    report = desk_world.tick()
    assert (report.delivered, report.failed) == (1, 1)
    assert desk_world.sender.take() == [(healthy.key, "first_response_reminder")]
    assert _ping_timer(desk_world, broken).state == TimerState.FAILED
    assert desk_world.at(PING_AT.add(minutes=3)) == []
