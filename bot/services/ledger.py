"""The tick's ledger: claims renewed just before each send, outcomes recorded right after."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pendulum import DateTime

from bot.db.models import TimerState
from bot.db.uow import UnitOfWork
from bot.domain.due_timers import Notice
from bot.logs import log_fields
from bot.metrics import NOTICES_SENT
from bot.services.desk import Desk
from bot.services.pings import after_delivery
from bot.services.ports import DeliveryFailed
from bot.services.sending import Delivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=5)


@dataclass
class TickReport:
    """What one tick did, for logs, metrics and tests."""

    claimed: int = 0
    delivered: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    # Timers handed back unacted, to be decided once the request's conversation is open.
    deferred: int = 0
    notices: list[str] = field(default_factory=list)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """How long a failed send waits (real time): doubling from 10 s, capped, >= Retry-After."""
    wait: timedelta = min(BACKOFF_CAP, BACKOFF_BASE * 2**attempts)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


class TickLedger:
    """Implements the `Ledger` port for one worker's tick."""

    def __init__(
        self,
        desk: Desk,
        *,
        worker_id: str,
        lease: timedelta,
        attempts: Mapping[int, int],
        report: TickReport,
    ) -> None:
        self._desk = desk
        self._worker_id = worker_id
        self._lease = lease
        self._attempts = attempts
        self._report = report

    def still_ours(self, notices: Sequence[Notice]) -> list[Notice]:
        """Renew the claims behind `notices`; drop those another worker took or a change ended."""
        ids = {timer_id for notice in notices for timer_id in notice.timer_ids}
        until = self._desk.clock.now() + self._lease
        with self._desk.db.unit_of_work() as uow:
            held = uow.timers.renew(ids, worker_id=self._worker_id, until=until)
        ours = [n for n in notices if held.issuperset(n.timer_ids)]
        if len(ours) < len(notices):
            self._report.lost += len(notices) - len(ours)
            log.warning("%s notices no longer ours; not sent", len(notices) - len(ours))
        return ours

    def record(self, deliveries: Sequence[Delivery]) -> None:
        """Done, retry later with backoff, or failed for good after MAX_ATTEMPTS.

        Slack has acted: while the database is unavailable (a restart) this waits for it,
        or the notices would go out again once their claims ran out.
        """
        now = self._desk.clock.now()
        done = [d.notice for d in deliveries if d.error is None]

        def write(uow: UnitOfWork) -> None:
            uow.timers.finish(
                [timer_id for notice in done for timer_id in notice.timer_ids],
                worker_id=self._worker_id,
                state=TimerState.DONE,
                now=now,
            )
            for delivery in deliveries:
                if delivery.error is not None:
                    self._record_failure(uow, delivery.notice, delivery.error, now)

        self._desk.db.retrying(write)
        self._report.delivered += len(done)
        for notice in done:
            NOTICES_SENT.labels(notice.kind.value).inc()
        self._report.notices.extend(f"{n.kind.value}:{n.request.key}" for n in done)
        after_delivery(self._desk, deliveries)

    def _record_failure(
        self, uow: UnitOfWork, notice: Notice, error: DeliveryFailed, now: DateTime
    ) -> None:
        ids = sorted(notice.timer_ids)
        tries = max((self._attempts.get(timer_id, 1) for timer_id in ids), default=1)
        if error.permanent or tries >= MAX_ATTEMPTS:
            log.error(
                "giving up on %s for %s after %s attempts: %s",
                notice.kind.value,
                notice.request.key,
                tries,
                error,
                extra=log_fields(notice.request, timer_kind=notice.kind.value),
            )
            uow.timers.finish(
                ids, worker_id=self._worker_id, state=TimerState.FAILED, now=now, error=str(error)
            )
            self._report.failed += 1
            return
        log.warning(
            "%s for %s failed (%s); retrying",
            notice.kind.value,
            notice.request.key,
            error,
            extra=log_fields(notice.request, timer_kind=notice.kind.value),
        )
        retry_at = now + self._desk.clock.stretch(backoff(tries, error.retry_after))
        for timer_id in ids:
            uow.timers.release(
                timer_id, retry_at=retry_at, worker_id=self._worker_id, error=str(error)
            )
        self._report.retried += 1
