"""Timers: one per (request, kind, instant, version); claimed under a lease, earliest first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bot.db.engine import Database
from bot.db.models import Timer, TimerState
from bot.db.requests_repo import add_request
from bot.db.timers_repo import (
    cancel_timers,
    claim_due_timers,
    count_timers,
    finish_timer,
    pending_timers,
    release_timer,
    schedule_timer,
)
from bot.domain.model import Request
from bot.domain.timer_kinds import TimerKind

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
REMINDER = TimerKind.FIRST_RESPONSE_REMINDER
BREACH = TimerKind.FIRST_RESPONSE_BREACH


@pytest.fixture
def request_id(database: Database, make_request: Callable[..., Request]) -> int:
    with database.session() as session:
        return add_request(session, make_request()).id


def _schedule(database: Database, request_id: int, *offsets: int, kind: TimerKind = BREACH) -> None:
    """Pending timers firing `offsets` minutes after T0."""
    with database.session() as session:
        for minutes in offsets:
            schedule_timer(
                session,
                request_id=request_id,
                kind=kind,
                fire_at=T0 + timedelta(minutes=minutes),
                request_version=1,
                now=T0,
            )


def _claim(database: Database, at: datetime, limit: int = 10, worker: str = "w1") -> list[Timer]:
    with database.session() as session:
        return claim_due_timers(session, now=at, limit=limit, lease=LEASE, worker_id=worker)


def test_duplicate_timer_is_ignored_and_the_transaction_goes_on(
    database: Database, request_id: int
) -> None:
    def reminder(session: Session, version: int) -> Timer | None:
        return schedule_timer(
            session,
            request_id=request_id,
            kind=REMINDER,
            fire_at=T0,
            request_version=version,
            fraction=0.5,
            now=T0,
        )

    with database.session() as session:
        first = reminder(session, 1)
        again = reminder(session, 1)
        next_version = reminder(session, 2)
        assert first is not None
        assert first.id is not None
        assert first.state == TimerState.PENDING
        assert first.fraction == 0.5
        assert first.kind is REMINDER
        assert first.fire_at == T0
        assert again is None
        assert next_version is not None
    with database.session() as session:
        assert len(pending_timers(session, request_id=request_id)) == 2


def test_unknown_kind_is_refused(database: Database, request_id: int) -> None:
    with pytest.raises(ValueError), database.session() as session:
        schedule_timer(
            session, request_id=request_id, kind="nap", fire_at=T0, request_version=1, now=T0
        )


def test_cancel_timers(database: Database, request_id: int) -> None:
    _schedule(database, request_id, 10, 20)
    _schedule(database, request_id, 5, kind=REMINDER)
    with database.session() as session:
        assert cancel_timers(session, request_id=request_id, kinds=[REMINDER]) == 1
        assert cancel_timers(session, request_id=request_id, kinds=[]) == 0
        assert cancel_timers(session, request_id=request_id) == 2
        assert cancel_timers(session, request_id=request_id) == 0
        assert pending_timers(session, request_id=request_id) == []
        assert count_timers(session, TimerState.CANCELLED) == 3


def test_claim_takes_due_timers_earliest_first_up_to_the_limit(
    database: Database, request_id: int
) -> None:
    _schedule(database, request_id, 30, 10, 20, 40, 90)
    claimed = _claim(database, T0 + timedelta(minutes=45), limit=3)
    assert [timer.fire_at for timer in claimed] == [T0 + timedelta(minutes=m) for m in (10, 20, 30)]
    for timer in claimed:
        assert timer.claimed_by == "w1"
        assert timer.claimed_until == T0 + timedelta(minutes=45) + LEASE
        assert timer.attempts == 1
    rest = _claim(database, T0 + timedelta(minutes=45), limit=3)
    assert [timer.fire_at for timer in rest] == [T0 + timedelta(minutes=40)]


def test_claimed_timer_waits_for_its_lease_to_end(database: Database, request_id: int) -> None:
    _schedule(database, request_id, 0)
    [timer] = _claim(database, T0, worker="w1")
    assert _claim(database, T0 + LEASE - timedelta(seconds=1), worker="w2") == []
    [again] = _claim(database, T0 + LEASE, worker="w2")
    assert again.id == timer.id
    assert again.attempts == 2
    assert timer.id is not None
    with database.session() as session:
        # The first worker lost its claim: its late result is not recorded.
        assert not finish_timer(
            session, timer_id=timer.id, worker_id="w1", state=TimerState.DONE, now=T0
        )
        assert finish_timer(
            session, timer_id=timer.id, worker_id="w2", state=TimerState.DONE, now=T0 + LEASE
        )
        assert count_timers(session, TimerState.DONE) == 1
        assert count_timers(session, TimerState.PENDING) == 0
    assert _claim(database, T0 + 3 * LEASE) == []


def test_finish_records_outcome(database: Database, request_id: int) -> None:
    _schedule(database, request_id, 0)
    [timer] = _claim(database, T0)
    assert timer.id is not None
    with database.session() as session:
        assert finish_timer(
            session,
            timer_id=timer.id,
            worker_id="w1",
            state=TimerState.FAILED,
            now=T0,
            error="Slack said no",
        )
        with pytest.raises(ValueError):
            finish_timer(
                session, timer_id=timer.id, worker_id="w1", state=TimerState.PENDING, now=T0
            )
        stored = session.get(Timer, timer.id)
        assert stored is not None
        assert (stored.state, stored.acted_at, stored.last_error) == ("failed", T0, "Slack said no")


def test_cancelled_timer_cannot_be_finished(database: Database, request_id: int) -> None:
    _schedule(database, request_id, 0)
    [timer] = _claim(database, T0)
    assert timer.id is not None
    with database.session() as session:
        cancel_timers(session, request_id=request_id)
        assert not finish_timer(
            session, timer_id=timer.id, worker_id="w1", state=TimerState.DONE, now=T0
        )


def test_released_timer_is_claimable_again_from_retry_at(
    database: Database, request_id: int
) -> None:
    _schedule(database, request_id, 0)
    [timer] = _claim(database, T0)
    assert timer.id is not None
    retry_at = T0 + timedelta(minutes=1)
    with database.session() as session:
        assert not release_timer(session, timer_id=timer.id, retry_at=retry_at, worker_id="w2")
        assert release_timer(
            session, timer_id=timer.id, retry_at=retry_at, worker_id="w1", error="HTTP 429"
        )
    assert _claim(database, retry_at - timedelta(seconds=1)) == []
    [again] = _claim(database, retry_at, worker="w2")
    assert (again.fire_at, again.attempts, again.last_error) == (T0, 2, "HTTP 429")


def test_concurrent_claimers_get_disjoint_timers(database: Database, request_id: int) -> None:
    _schedule(database, request_id, *range(40))
    now = T0 + timedelta(hours=1)
    start = threading.Barrier(4)
    results: dict[str, list[int]] = {}

    def claimer(worker: str) -> None:
        start.wait()
        claimed = []
        while batch := _claim(database, now, limit=3, worker=worker):
            claimed += [timer.id or 0 for timer in batch]
        results[worker] = claimed

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    every = [timer_id for claimed in results.values() for timer_id in claimed]
    assert len(results) == 4
    assert len(every) == len(set(every)) == 40


@pytest.mark.postgres
def test_claim_skips_rows_locked_by_another_replica(
    postgres_url: str, make_request: Callable[..., Request]
) -> None:
    from bot.db.migrate import upgrade

    upgrade(postgres_url)
    database = Database.from_url(postgres_url)
    try:
        with database.session() as session:
            request_id = add_request(session, make_request()).id
        _schedule(database, request_id, 1, 2, 3, 4, 5)
        now = T0 + timedelta(hours=1)
        with database.session() as first, database.session() as second:
            mine = claim_due_timers(first, now=now, limit=2, lease=LEASE, worker_id="a")
            # Still uncommitted: the second replica must skip those rows, not wait on them.
            second.connection().execute(text("SET LOCAL lock_timeout = '2s'"))
            theirs = claim_due_timers(second, now=now, limit=10, lease=LEASE, worker_id="b")
        assert [t.fire_at for t in mine] == [T0 + timedelta(minutes=m) for m in (1, 2)]
        assert [t.fire_at for t in theirs] == [T0 + timedelta(minutes=m) for m in (3, 4, 5)]
    finally:
        database.dispose()
