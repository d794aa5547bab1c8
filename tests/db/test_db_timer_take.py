"""Taking a request's timer ahead of its instant, and handing claimed timers back unacted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.db.engine import Database
from bot.db.models import Timer, TimerState
from bot.db.requests_repo import add_request
from bot.db.timers_repo import (
    claim_due_timers,
    defer_timers,
    finish_timer,
    schedule_timer,
    take_timer,
)
from bot.domain.model import Request
from bot.domain.timer_kinds import TimerKind

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
PUBLISH = TimerKind.PUBLISH_CONVERSATION


def _request_with_timer(
    database: Database, make_request: Callable[..., Request], *, fire_in: int = 60
) -> int:
    with database.session() as session:
        request_id = add_request(session, make_request()).id
        schedule_timer(
            session,
            request_id=request_id,
            kind=PUBLISH,
            fire_at=T0 + timedelta(seconds=fire_in),
            request_version=1,
            now=T0,
        )
    return request_id


def _take(database: Database, request_id: int, at: datetime, worker: str) -> Timer | None:
    with database.session() as session:
        return take_timer(
            session, request_id=request_id, kind=PUBLISH, worker_id=worker, now=at, lease=LEASE
        )


def _claim(database: Database, at: datetime, worker: str = "scheduler") -> list[Timer]:
    with database.session() as session:
        return claim_due_timers(session, now=at, limit=50, lease=LEASE, worker_id=worker)


def test_a_taken_timer_is_held_before_its_instant_and_nobody_else_gets_it(
    database: Database, make_request: Callable[..., Request]
) -> None:
    request_id = _request_with_timer(database, make_request)

    taken = _take(database, request_id, T0, "filing")

    assert taken is not None and taken.id is not None
    assert taken.kind is PUBLISH
    assert (taken.claimed_by, taken.claimed_until, taken.attempts) == ("filing", T0 + LEASE, 0)
    assert _take(database, request_id, T0 + timedelta(seconds=1), "filing-2") is None
    assert _claim(database, T0 + LEASE - timedelta(seconds=1)) == []
    # The taker died: past its lease the timer is the scheduler's.
    [claimed] = _claim(database, T0 + LEASE)
    assert (claimed.id, claimed.claimed_by) == (taken.id, "scheduler")
    assert _take(database, request_id, T0 + LEASE, "filing") is None


def test_a_finished_timer_cannot_be_taken(
    database: Database, make_request: Callable[..., Request]
) -> None:
    request_id = _request_with_timer(database, make_request)
    taken = _take(database, request_id, T0, "filing")
    assert taken is not None and taken.id is not None
    with database.session() as session:
        assert finish_timer(
            session, timer_id=taken.id, worker_id="filing", state=TimerState.DONE, now=T0
        )

    assert _take(database, request_id, T0 + timedelta(hours=1), "filing") is None
    assert _claim(database, T0 + timedelta(hours=1)) == []


def test_deferred_timers_come_back_at_their_instant_without_spending_an_attempt(
    database: Database, make_request: Callable[..., Request]
) -> None:
    request_id = _request_with_timer(database, make_request, fire_in=0)
    [timer] = _claim(database, T0)
    assert timer.id is not None and timer.attempts == 1
    until = T0 + timedelta(seconds=30)

    with database.session() as session:
        assert defer_timers(session, ids=[timer.id], worker_id="someone-else", until=until) == 0
        assert defer_timers(session, ids=[timer.id], worker_id="scheduler", until=until) == 1

    assert _claim(database, until - timedelta(seconds=1)) == []
    [again] = _claim(database, until)
    assert (again.id, again.attempts, again.request_id) == (timer.id, 1, request_id)


def test_a_taker_and_a_claimer_racing_for_due_timers_never_both_win(
    database: Database, make_request: Callable[..., Request]
) -> None:
    requests = [_request_with_timer(database, make_request, fire_in=0) for _ in range(20)]
    now = T0 + timedelta(minutes=1)
    start = threading.Barrier(2)
    taken: list[int] = []
    claimed: list[int] = []

    def taker() -> None:
        start.wait()
        for request_id in requests:
            timer = _take(database, request_id, now, "filing")
            if timer is not None:
                taken.append(timer.id or 0)

    def claimer() -> None:
        start.wait()
        while batch := _claim_some(database, now):
            claimed.extend(t.id or 0 for t in batch)

    threads = [threading.Thread(target=taker), threading.Thread(target=claimer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not set(taken) & set(claimed)
    assert len(taken) + len(claimed) == len(set(taken) | set(claimed)) == 20


def _claim_some(database: Database, at: datetime) -> list[Timer]:
    with database.session() as session:
        return claim_due_timers(session, now=at, limit=3, lease=LEASE, worker_id="scheduler")
