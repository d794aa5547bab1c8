"""Polls the vendor's status feed forever in a thread, one replica at a time.

Every replica runs a poller; the one holding the lease (a row in `status_poller`) polls,
the others check the lease each interval and take over when it runs out. All waits are
real seconds, whatever the desk's clock does. A failing feed is retried with a doubling
wait (capped), logged once per streak, and counted on /metrics.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable

import pendulum

from bot.clock import real_time
from bot.db.engine import Database
from bot.metrics import STATUS_POLL_FAILURES, STATUS_POLLS
from bot.scheduler import default_worker_id
from bot.services.status_poll import PollReport, give_back_lease, poll_feed, take_lease
from bot.services.status_ports import FeedProblem, OutageBoard, StatusAnnouncer, StatusFeed

log = logging.getLogger(__name__)

BACKOFF_CAP_SECONDS = 1800.0
# How long past its next poll a holder keeps the lease: a crashed holder is replaced then.
LEASE_GRACE_SECONDS = 120.0


class StatusPoller:
    """Runs `poll_feed` every `interval` real seconds while it holds the lease."""

    def __init__(
        self,
        *,
        db: Database,
        feed: StatusFeed,
        announcer: StatusAnnouncer,
        interval: float = 300.0,
        holder: str | None = None,
        now: Callable[[], float] = real_time,
        board: OutageBoard | None = None,
    ) -> None:
        self.db = db
        self.feed = feed
        self.announcer = announcer
        self.board = board  # tells linked requests and the on-call summaries
        self.interval = interval
        self.holder = holder or f"{default_worker_id()}:{secrets.token_hex(3)}"
        self.failures = 0
        self._now = now
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def backoff(self, failures: int) -> float:
        """The wait after `failures` failed polls in a row: doubling, capped."""
        if failures <= 0:
            return self.interval
        cap = max(self.interval, BACKOFF_CAP_SECONDS)
        return float(min(cap, self.interval * 2 ** min(failures, 32)))

    def poll(self) -> float:
        """One turn: poll if the lease is ours; the real seconds to wait before the next."""
        now = self._now()
        until = now + self.backoff(self.failures + 1) + LEASE_GRACE_SECONDS
        try:
            if not take_lease(self.db, holder=self.holder, now=now, until=until):
                return self.interval  # another replica polls; see whether it still does
            report = poll_feed(
                self.db,
                self.feed,
                self.announcer,
                now=pendulum.from_timestamp(now),
                board=self.board,
            )
        except FeedProblem as problem:
            self._failed(str(problem.fault), problem.reason)
        except Exception as error:  # the database, a bug: the next turn tries again
            self._failed("error", f"{type(error).__name__}: {error}", trace=True)
        else:
            self._succeeded(report)
        return self.backoff(self.failures)

    def _failed(self, outcome: str, reason: str, *, trace: bool = False) -> None:
        """Count the failure; only the first of a streak is logged (a bug with its trace)."""
        self.failures += 1
        STATUS_POLLS.labels(outcome).inc()
        STATUS_POLL_FAILURES.set(self.failures)
        if self.failures == 1:
            log.warning(
                "status feed poll failed (%s): %s; keeping the last good state, retrying "
                "with backoff",
                outcome,
                reason,
                exc_info=trace,
            )

    def _succeeded(self, report: PollReport) -> None:
        if self.failures:
            log.info("status feed answers again after %s failed polls", self.failures)
        self.failures = 0
        STATUS_POLLS.labels(report.outcome).inc()
        STATUS_POLL_FAILURES.set(0)
        told = report.outages
        if told is not None and (told.notes or told.summaries):
            log.info("status feed: %s requests told, %s summaries", told.notes, told.summaries)
        posted = report.announced
        if posted.announced or posted.replied or posted.refreshed:
            log.info(
                "status feed: %s announced, %s replies, %s announcements updated",
                posted.announced,
                posted.replied,
                posted.refreshed,
            )

    def run(self) -> None:
        """Poll until stopped, then let another replica take over at once."""
        while not self._stop.is_set():
            self._stop.wait(self.poll())
        try:
            give_back_lease(self.db, holder=self.holder)
        except Exception:
            log.debug("could not give back the status poller's lease", exc_info=True)
        self.feed.close()

    def start(self) -> None:
        """Run in a background thread."""
        self._thread = threading.Thread(target=self.run, name="status-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the loop to end after the poll in progress; wait up to `timeout` for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
