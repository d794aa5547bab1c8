"""The scheduler's tick: claim due timers, decide what each means now, act once, record it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from pendulum import DateTime

from bot.db.engine import database_unavailable
from bot.db.models import TimerState
from bot.db.uow import UnitOfWork
from bot.domain.due_timers import Decision, Notice, decide
from bot.domain.model import Request, request_key
from bot.domain.timer_kinds import DueTimer, TimerKind, Where
from bot.logs import log_context
from bot.metrics import TIMER_DUE_LAG
from bot.services.conversations import LEASE, post_root
from bot.services.desk import Desk
from bot.services.ledger import TickLedger, TickReport
from bot.services.sending import NoticeSender

log = logging.getLogger(__name__)

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
    with desk.db.unit_of_work() as uow:
        claimed = uow.timers.claim_due(now=now, limit=batch_size, lease=lease, worker_id=worker_id)
    report = TickReport(claimed=len(claimed))
    if not claimed:
        return report
    _observe_lag([timer for _, timer in claimed], now)
    by_request: dict[int, list[DueTimer]] = defaultdict(list)
    for request_id, timer in claimed:
        by_request[request_id].append(timer)
    decisions = _decide(desk, by_request, now=now, worker_id=worker_id, report=report)
    for decision in decisions:
        if decision.publish:
            post_root(
                desk,
                request=decision.request,
                timers=decision.publish,
                worker_id=worker_id,
                tell=True,
            )
    notices = [notice for decision in decisions for notice in decision.notices]
    if notices:
        attempts = {timer.id: timer.attempts for _, timer in claimed}
        ledger = TickLedger(
            desk, worker_id=worker_id, lease=lease, attempts=attempts, report=report
        )
        sender.send(notices, ledger)
    return report


def _observe_lag(timers: Sequence[DueTimer], now: DateTime) -> None:
    """How late each claimed timer fires after its instant, in desk time (retries included)."""
    for timer in timers:
        TIMER_DUE_LAG.observe(max(0.0, (now - timer.fire_at).total_seconds()))


def _decide(
    desk: Desk,
    by_request: dict[int, list[DueTimer]],
    *,
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> list[Decision]:
    """Each request's timers are decided in a transaction of their own, under its row lock."""
    decisions: list[Decision] = []
    for decided, (request_id, own) in enumerate(by_request.items()):
        try:
            with log_context(request_key=request_key(request_id)), desk.db.unit_of_work() as uow:
                decision = _decide_one(desk, uow, request_id, own, now, worker_id, report)
        except Exception as error:
            if database_unavailable(error):
                # Not these requests' fault: their timers come back when the claims run out.
                log.warning(
                    "the database is unavailable; %s requests left for later",
                    len(by_request) - decided,
                )
                break
            _give_up(desk, request_id, own, error, now=now, worker_id=worker_id, report=report)
            continue
        if decision is not None:
            decisions.append(decision)
    return decisions


def _give_up(
    desk: Desk,
    request_id: int,
    timers: list[DueTimer],
    error: Exception,
    *,
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> None:
    """One broken request must not hold up the batch, nor come back every lease."""
    log.exception(
        "could not decide the timers of request %s; marked failed",
        request_id,
        extra={"request_key": request_key(request_id)},
    )
    with desk.db.unit_of_work() as uow:
        uow.timers.finish(
            [t.id for t in timers],
            worker_id=worker_id,
            state=TimerState.FAILED,
            now=now,
            error=repr(error),
        )
    report.failed += len(timers)


def _decide_one(
    desk: Desk,
    uow: UnitOfWork,
    request_id: int,
    timers: list[DueTimer],
    now: DateTime,
    worker_id: str,
    report: TickReport,
) -> Decision | None:
    request = uow.requests.lock(request_id)
    if request is None:
        _skip(uow, timers, now, worker_id, report)
        return None
    wait = desk.clock.stretch(CONVERSATION_WAIT)
    timers = _wait_for_conversation(uow, request, timers, now + wait, worker_id, report)
    decision = decide(request, timers, policy=desk.policy, now=now)
    _skip(uow, decision.skipped, now, worker_id, report)
    for follow_up in decision.follow_ups:
        uow.timers.schedule(
            request_id=request_id,
            kind=follow_up.kind,
            at=follow_up.at,
            version=decision.request.version,
            fraction=follow_up.fraction,
            now=now,
        )
    for notice in decision.notices:
        uow.events.append(request_id, f"notice_{notice.kind.value}", at=now)
    if decision.request != request:
        uow.requests.save(decision.request)
    return decision


def _wait_for_conversation(
    uow: UnitOfWork,
    request: Request,
    timers: list[DueTimer],
    until: DateTime,
    worker_id: str,
    report: TickReport,
) -> list[DueTimer]:
    """The timers to decide now: pings wait while the request's first root is being posted.

    Decided now, they would find no conversation to speak in and fail for good.
    """
    if request.conversation is not None:
        return timers
    waiting = [t for t in timers if t.kind.spec.where is Where.CONVERSATION]
    if not waiting or not _publish_pending(uow, request):
        return timers
    uow.timers.defer([t.id for t in waiting], worker_id=worker_id, until=until)
    report.deferred += len(waiting)
    return [t for t in timers if t not in waiting]


def _publish_pending(uow: UnitOfWork, request: Request) -> bool:
    return any(t.kind is TimerKind.PUBLISH_CONVERSATION for t in uow.timers.pending(request.id))


def _skip(
    uow: UnitOfWork, timers: Sequence[DueTimer], now: DateTime, worker_id: str, report: TickReport
) -> None:
    uow.timers.finish(
        [t.id for t in timers], worker_id=worker_id, state=TimerState.SKIPPED, now=now
    )
    report.skipped += len(timers)


__all__ = ["Notice", "TickReport", "run_tick"]
