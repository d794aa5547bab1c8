"""The scheduler's tick: claim due timers, decide what each means now, act once, record it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pendulum import DateTime
from sqlmodel import Session

from bot.db.models import Timer, TimerKind, TimerState
from bot.db.repositories import (
    append_event,
    claim_due_timers,
    finish_timer,
    lock_request,
    release_timer,
    schedule_timer,
)
from bot.services.desk import Desk
from bot.services.notices import Delivery, Notice, NoticeSender
from bot.services.timer_rules import decide_for_request

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
LEASE = timedelta(minutes=2)


@dataclass
class TickReport:
    """What one tick did, for logs, metrics and tests."""

    claimed: int = 0
    delivered: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    notices: list[str] = field(default_factory=list)


def run_tick(
    desk: Desk, sender: NoticeSender, *, worker_id: str, batch_size: int = 200
) -> TickReport:
    """Handle up to `batch_size` due timers: at most one notice per request and clock."""
    now = desk.clock.now()
    with desk.db.session() as session:
        timers = claim_due_timers(
            session, now=now, limit=batch_size, lease=LEASE, worker_id=worker_id
        )
    report = TickReport(claimed=len(timers))
    if not timers:
        return report
    notices = _decide(desk, timers, now=now, worker_id=worker_id, report=report)
    deliveries = sender.send(notices) if notices else []
    _record(desk, deliveries, timers, now=now, worker_id=worker_id, report=report)
    return report


def _decide(
    desk: Desk, timers: Sequence[Timer], *, now: DateTime, worker_id: str, report: TickReport
) -> list[Notice]:
    by_request: dict[int, list[Timer]] = defaultdict(list)
    for timer in timers:
        by_request[timer.request_id].append(timer)
    notices: list[Notice] = []
    for request_id, own in by_request.items():
        with desk.db.session() as session:
            notices.extend(_decide_one(desk, session, request_id, own, now, worker_id, report))
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
        _finish(session, timers, TimerState.SKIPPED, now, worker_id)
        report.skipped += len(timers)
        return []
    decision = decide_for_request(request, timers, policy=desk.policy, now=now)
    _finish(session, decision.skipped, TimerState.SKIPPED, now, worker_id)
    report.skipped += len(decision.skipped)
    for kind, at in decision.follow_ups:
        schedule_timer(
            session,
            request_id=request_id,
            kind=kind.value,
            fire_at=at,
            request_version=request.version,
            now=now,
        )
    for notice in decision.notices:
        append_event(session, request_id=request_id, at=now, kind=f"notice_{notice.kind.value}")
    session.add(request)
    return decision.notices


def _record(
    desk: Desk,
    deliveries: Sequence[Delivery],
    timers: Sequence[Timer],
    *,
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> None:
    attempts = {timer.id: timer.attempts for timer in timers}
    with desk.db.session() as session:
        for delivery in deliveries:
            ids = delivery.notice.timer_ids
            if delivery.error is None:
                _finish_ids(session, ids, TimerState.DONE, now, worker_id)
                report.delivered += 1
                report.notices.append(f"{delivery.notice.kind.value}:{delivery.notice.request.key}")
                continue
            tries = max(attempts.get(timer_id, 1) for timer_id in ids)
            if delivery.error.permanent or tries >= MAX_ATTEMPTS:
                log.error(
                    "giving up on %s for %s after %s attempts: %s",
                    delivery.notice.kind.value,
                    delivery.notice.request.key,
                    tries,
                    delivery.error,
                )
                _finish_ids(session, ids, TimerState.FAILED, now, worker_id, str(delivery.error))
                report.failed += 1
                continue
            retry_at = now + timedelta(seconds=min(300, 5 * 2**tries))
            for timer_id in ids:
                release_timer(
                    session,
                    timer_id=timer_id,
                    retry_at=retry_at,
                    worker_id=worker_id,
                    error=str(delivery.error),
                )
            report.retried += 1


def _finish(
    session: Session, timers: Sequence[Timer], state: TimerState, now: DateTime, worker_id: str
) -> None:
    _finish_ids(session, [t.id for t in timers if t.id is not None], state, now, worker_id)


def _finish_ids(
    session: Session,
    ids: Sequence[int],
    state: TimerState,
    now: DateTime,
    worker_id: str,
    error: str | None = None,
) -> None:
    for timer_id in ids:
        finish_timer(
            session, timer_id=timer_id, worker_id=worker_id, state=state.value, now=now, error=error
        )


__all__ = ["TickReport", "TimerKind", "run_tick"]
