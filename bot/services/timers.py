"""The scheduler's tick: claim due timers, decide what each means now, act once, record it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from pendulum import DateTime
from sqlmodel import Session

from bot.db.models import SupportRequest, Timer, TimerKind, TimerState
from bot.db.repositories import (
    append_event,
    claim_due_timers,
    defer_timers,
    finish_timers,
    lock_request,
    pending_timers,
    schedule_timer,
)
from bot.services.desk import Desk
from bot.services.ledger import MAX_ATTEMPTS, TickLedger, TickReport
from bot.services.notices import Notice, NoticeSender
from bot.services.timer_rules import decide_for_request, speaks_in_conversation

log = logging.getLogger(__name__)

# Long enough for one send (pacing, Slack's timeout and its 429 waits); a dead worker's
# timers come back this long after its last renewal.
LEASE = timedelta(minutes=2)
# How long a ping waits for a root message still to be posted before it is decided again.
CONVERSATION_WAIT = timedelta(seconds=30)


def run_tick(
    desk: Desk,
    sender: NoticeSender,
    *,
    worker_id: str,
    batch_size: int = 200,
    lease: timedelta = LEASE,
) -> TickReport:
    """Handle up to `batch_size` due timers: at most one notice per request and clock."""
    now = desk.clock.now()
    lease = desk.clock.stretch(lease)
    with desk.db.session() as session:
        timers = claim_due_timers(
            session, now=now, limit=batch_size, lease=lease, worker_id=worker_id
        )
    report = TickReport(claimed=len(timers))
    if not timers:
        return report
    notices = _decide(desk, timers, now=now, worker_id=worker_id, report=report)
    if notices:
        attempts = {t.id: t.attempts for t in timers if t.id is not None}
        ledger = TickLedger(
            desk, worker_id=worker_id, lease=lease, attempts=attempts, report=report
        )
        sender.send(notices, ledger)
    return report


def _decide(
    desk: Desk, timers: Sequence[Timer], *, now: DateTime, worker_id: str, report: TickReport
) -> list[Notice]:
    """Each request's timers are decided in a transaction of their own, under its row lock."""
    by_request: dict[int, list[Timer]] = defaultdict(list)
    for timer in timers:
        by_request[timer.request_id].append(timer)
    notices: list[Notice] = []
    for request_id, own in by_request.items():
        try:
            with desk.db.session() as session:
                decided = _decide_one(desk, session, request_id, own, now, worker_id, report)
        except Exception as error:
            # One broken request must not hold up the batch, nor come back every lease.
            log.exception("could not decide the timers of request %s; marked failed", request_id)
            with desk.db.session() as session:
                _finish(session, own, TimerState.FAILED, now, worker_id, repr(error))
            report.failed += len(own)
            continue
        notices.extend(decided)
    return notices


def _decide_one(
    desk: Desk,
    session: Session,
    request_id: int,
    timers: list[Timer],
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> list[Notice]:
    request = lock_request(session, request_id)
    if request is None:
        _skip(session, timers, now, worker_id, report)
        return []
    timers = _wait_for_conversation(session, request, timers, now, worker_id, report)
    decision = decide_for_request(request, timers, policy=desk.policy, now=now)
    _skip(session, decision.skipped, now, worker_id, report)
    for follow_up in decision.follow_ups:
        schedule_timer(
            session,
            request_id=request_id,
            kind=follow_up.kind.value,
            fire_at=follow_up.at,
            request_version=request.version,
            fraction=follow_up.fraction,
            now=now,
        )
    for notice in decision.notices:
        append_event(session, request_id=request_id, at=now, kind=f"notice_{notice.kind.value}")
    session.add(request)
    return decision.notices


def _wait_for_conversation(
    session: Session,
    request: SupportRequest,
    timers: list[Timer],
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> list[Timer]:
    """The timers to decide now: pings wait while the request's root message is being posted.

    Decided now, they would find no conversation to speak in and fail for good. Once no
    publish is pending any more (it failed for good), they are decided, and fail, as usual.
    """
    if request.thread_ts is not None:
        return timers
    waiting = [t for t in timers if speaks_in_conversation(t)]
    if not waiting or not _publish_pending(session, request):
        return timers
    ids = [t.id for t in waiting if t.id is not None]
    defer_timers(session, ids=ids, worker_id=worker_id, until=now + CONVERSATION_WAIT)
    report.deferred += len(waiting)
    return [t for t in timers if t not in waiting]


def _publish_pending(session: Session, request: SupportRequest) -> bool:
    pending = pending_timers(session, request_id=request.id or 0)
    return any(t.kind == TimerKind.PUBLISH_CONVERSATION for t in pending)


def _skip(
    session: Session, timers: Sequence[Timer], now: DateTime, worker_id: str, report: TickReport
) -> None:
    _finish(session, timers, TimerState.SKIPPED, now, worker_id)
    report.skipped += len(timers)


def _finish(
    session: Session,
    timers: Sequence[Timer],
    state: TimerState,
    now: DateTime,
    worker_id: str,
    error: str | None = None,
) -> None:
    ids = [timer.id for timer in timers if timer.id is not None]
    finish_timers(session, ids=ids, worker_id=worker_id, state=state.value, now=now, error=error)


__all__ = ["LEASE", "MAX_ATTEMPTS", "TickReport", "TimerKind", "run_tick"]
