"""Timers: schedule, cancel, and claim due ones under a lease so each fires once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import Timer, TimerState
from bot.db.types import UTCDateTime
from bot.domain.timer_kinds import TimerKind

FINAL_STATES = frozenset({TimerState.DONE, TimerState.SKIPPED, TimerState.FAILED})
_UNIQUE = ["request_id", "kind", "fire_at", "request_version"]
# Inlined rather than bound, so PostgreSQL can match the partial index `ix_timer_due`.
_PENDING = literal(TimerState.PENDING.value, literal_execute=True)


def schedule_timer(
    session: Session,
    *,
    request_id: int,
    kind: str,
    fire_at: datetime,
    request_version: int,
    fraction: float | None = None,
    now: datetime,
) -> Timer | None:
    """Add a pending timer; None when the same timer (kind, instant, version) already exists."""
    statement = (
        insert_ignoring_duplicates(session, Timer, unique=_UNIQUE)
        .values(
            request_id=request_id,
            kind=TimerKind(kind).value,
            fire_at=fire_at,
            state=TimerState.PENDING.value,
            request_version=request_version,
            fraction=fraction,
            attempts=0,
            created_at=now,
        )
        .returning(Timer)
    )
    return session.exec(statement).scalars().first()


def cancel_timers(
    session: Session, *, request_id: int, kinds: Collection[str] | None = None
) -> int:
    """Cancel a request's pending timers (of the given kinds, or all); returns how many."""
    statement = update(Timer).where(
        col(Timer.request_id) == request_id, col(Timer.state) == TimerState.PENDING.value
    )
    if kinds is not None:
        statement = statement.where(col(Timer.kind).in_([TimerKind(k).value for k in kinds]))
    result = session.exec(statement.values(state=TimerState.CANCELLED.value))
    return result.rowcount


def _claimable(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(Timer.state) == _PENDING,
        col(Timer.fire_at) <= now,
        or_(col(Timer.claimed_until).is_(None), col(Timer.claimed_until) <= now),
    )


def claim_query(*, now: datetime, limit: int) -> SelectOfScalar[int | None]:
    """The ids of up to `limit` claimable timers, earliest first, skipping locked rows."""
    return (
        select(col(Timer.id))
        .where(_claimable(now))
        .order_by(col(Timer.fire_at), col(Timer.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def claim_due_timers(
    session: Session, *, now: datetime, limit: int, lease: timedelta, worker_id: str
) -> list[Timer]:
    """Lease up to `limit` due timers to `worker_id`, earliest first.

    Commit right after, act, then record the outcome with `finish_timer` or
    `release_timer`. A worker that dies leaves its timers to be claimed again once the
    lease ends. PostgreSQL skips rows another replica is claiming (FOR UPDATE SKIP
    LOCKED); the UPDATE re-checks the conditions, which keeps SQLite writers apart too.
    """
    due_ids = session.exec(claim_query(now=now, limit=limit)).all()
    if not due_ids:
        return []
    claimed = session.exec(
        update(Timer)
        .where(col(Timer.id).in_(due_ids), _claimable(now))
        .values(claimed_until=now + lease, claimed_by=worker_id, attempts=Timer.attempts + 1)
        .returning(Timer)
        .execution_options(populate_existing=True)
    ).scalars()
    return sorted(claimed, key=lambda timer: (timer.fire_at, timer.id or 0))


def _held(ids: Collection[int], worker_id: str) -> ColumnElement[bool]:
    """Pending timers among `ids` still claimed by `worker_id` (a lost claim matches nothing)."""
    return and_(
        col(Timer.id).in_(sorted(ids)),
        col(Timer.claimed_by) == worker_id,
        col(Timer.state) == TimerState.PENDING.value,
    )


def finish_timer(
    session: Session,
    *,
    timer_id: int,
    worker_id: str,
    state: str,
    now: datetime,
    error: str | None = None,
) -> bool:
    """Record that a claimed timer was handled (done, skipped or failed).

    False when the claim was lost: the timer was cancelled, or re-claimed by another
    worker after this one's lease ended.
    """
    final = TimerState(state)
    if final not in FINAL_STATES:
        raise ValueError(f"a timer cannot finish as {final.value!r}")
    result = session.exec(
        update(Timer)
        .where(_held([timer_id], worker_id))
        .values(state=final.value, acted_at=now, last_error=error, claimed_until=None)
    )
    return result.rowcount == 1


def finish_timers(
    session: Session,
    *,
    ids: Collection[int],
    worker_id: str,
    state: str,
    now: datetime,
    error: str | None = None,
) -> int:
    """`finish_timer` for many timers in one statement; returns how many were recorded."""
    final = TimerState(state)
    if final not in FINAL_STATES:
        raise ValueError(f"a timer cannot finish as {final.value!r}")
    if not ids:
        return 0
    result = session.exec(
        update(Timer)
        .where(_held(ids, worker_id))
        .values(state=final.value, acted_at=now, last_error=error, claimed_until=None)
    )
    return result.rowcount


def renew_claims(
    session: Session, *, ids: Collection[int], worker_id: str, until: datetime
) -> set[int]:
    """Extend `worker_id`'s leases on `ids` to `until`; returns the ids it still holds.

    A timer another worker re-claimed, or one cancelled or finished meanwhile, is left alone
    and missing from the answer: the caller must not act on it.
    """
    if not ids:
        return set()
    result = session.exec(
        update(Timer)
        .where(_held(ids, worker_id))
        .values(claimed_until=until)
        .returning(col(Timer.id))
    )
    return {int(timer_id) for timer_id in result.scalars()}


def release_timer(
    session: Session,
    *,
    timer_id: int,
    retry_at: datetime,
    worker_id: str | None = None,
    error: str | None = None,
) -> bool:
    """Put a claimed timer back to wait, claimable again from `retry_at` (for a retry).

    With `worker_id`, only a claim still held by that worker is released.
    """
    statement = update(Timer).where(
        col(Timer.id) == timer_id, col(Timer.state) == TimerState.PENDING.value
    )
    if worker_id is not None:
        statement = statement.where(col(Timer.claimed_by) == worker_id)
    # A timer released before its instant (a failed early try) comes due at `retry_at`.
    retry = literal(retry_at, UTCDateTime())
    fire_at = case((col(Timer.fire_at) > retry, retry), else_=col(Timer.fire_at))
    result = session.exec(
        statement.values(claimed_until=retry_at, claimed_by=None, last_error=error, fire_at=fire_at)
    )
    return result.rowcount == 1


def take_timer(
    session: Session,
    *,
    request_id: int,
    kind: str,
    worker_id: str,
    now: datetime,
    lease: timedelta,
) -> Timer | None:
    """Lease a request's pending timer of `kind` to `worker_id` ahead of its instant.

    None when there is none to take: it is done, or another worker's lease on it still
    runs. The UPDATE re-checks the lease under the row lock, so of a scheduler claiming
    the timer and a caller taking it, exactly one wins.
    """
    statement = (
        update(Timer)
        .where(
            col(Timer.request_id) == request_id,
            col(Timer.kind) == TimerKind(kind).value,
            col(Timer.state) == TimerState.PENDING.value,
            or_(col(Timer.claimed_until).is_(None), col(Timer.claimed_until) <= now),
        )
        .values(claimed_until=now + lease, claimed_by=worker_id)
        .returning(Timer)
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).scalars().first()


def defer_timers(session: Session, *, ids: Collection[int], worker_id: str, until: datetime) -> int:
    """Hand claimed timers back unacted, claimable again at `until`; returns how many.

    The claim does not count as an attempt: nothing was tried, so a timer that waits for
    something else keeps its whole retry budget.
    """
    if not ids:
        return 0
    result = session.exec(
        update(Timer)
        .where(_held(ids, worker_id))
        .values(claimed_until=until, claimed_by=None, attempts=Timer.attempts - 1)
    )
    return result.rowcount


def pending_timers(session: Session, *, request_id: int) -> list[Timer]:
    """A request's pending timers, earliest first."""
    statement = (
        select(Timer)
        .where(
            col(Timer.request_id) == request_id,
            col(Timer.state) == TimerState.PENDING.value,
        )
        .order_by(col(Timer.fire_at), col(Timer.id))
    )
    return list(session.exec(statement).all())


def count_timers(session: Session, state: str) -> int:
    """How many timers are in `state` (for metrics and tests)."""
    statement = select(func.count()).select_from(Timer).where(col(Timer.state) == state)
    return session.exec(statement).one()
