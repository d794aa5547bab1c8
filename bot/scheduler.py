"""Runs the scheduler tick forever: claim due timers, act once, repeat."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from bot.db.engine import database_unavailable
from bot.metrics import NOTICES, TICK_SECONDS
from bot.services.connect_ports import SharedChannels
from bot.services.conversations import LEASE
from bot.services.desk import Desk
from bot.services.housekeeping import KEY_RETENTION, forget_old_keys, keep_report_current
from bot.services.ledger import TickReport
from bot.services.sending import NoticeSender
from bot.services.shared_channels import tend_shared_channels
from bot.services.timers import run_tick

log = logging.getLogger(__name__)


def default_worker_id() -> str:
    """Host and process: unique among replicas, readable in the timers table."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    """Ticks every `tick_seconds` real seconds; a full batch means backlog, so it goes on."""

    def __init__(
        self,
        desk: Desk,
        sender: NoticeSender,
        *,
        tick_seconds: float = 5.0,
        batch_size: int = 50,
        lease: timedelta = LEASE,
        worker_id: str | None = None,
        key_retention: timedelta = KEY_RETENTION,
        shared: SharedChannels | None = None,
    ) -> None:
        self.desk = desk
        self.sender = sender
        self.tick_seconds = tick_seconds
        self.batch_size = batch_size
        self.lease = lease
        self.worker_id = worker_id or default_worker_id()
        self.key_retention = key_retention
        self.shared = shared  # customers' shared channels: lapsed prompts, pinned help (§11)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._database_down = False

    def tick(self) -> TickReport:
        """One tick; an error is logged and the next tick tries again."""
        try:
            with TICK_SECONDS.time():
                report = run_tick(
                    self.desk,
                    self.sender,
                    worker_id=self.worker_id,
                    batch_size=self.batch_size,
                    lease=self.lease,
                )
            forget_old_keys(self.desk, retention=self.key_retention)
            keep_report_current(self.desk)
        except Exception as error:
            self._note_failure(error)
            return TickReport()
        self._note_success()
        self._tend_shared_channels()
        for outcome in ("delivered", "skipped", "retried", "failed", "lost", "deferred"):
            NOTICES.labels(outcome).inc(getattr(report, outcome))
        if report.claimed:
            log.info(
                "tick: %s claimed, %s delivered, %s skipped, %s retried, %s failed, %s lost, "
                "%s deferred",
                report.claimed,
                report.delivered,
                report.skipped,
                report.retried,
                report.failed,
                report.lost,
                report.deferred,
            )
        return report

    def _note_failure(self, error: Exception) -> None:
        """Log a failed tick: a database outage once, not a trace every tick."""
        if not database_unavailable(error):
            log.exception("scheduler tick failed; retrying next tick")
        elif not self._database_down:
            log.warning("the database is unavailable; the scheduler keeps trying")
        self._database_down = database_unavailable(error)

    def _note_success(self) -> None:
        if self._database_down:
            log.warning("the database is back; the scheduler goes on")
            self._database_down = False

    def _tend_shared_channels(self) -> None:
        """Close lapsed prompts and pin missing help messages; never fails the tick."""
        if self.shared is None:
            return
        try:
            tend_shared_channels(self.desk, self.shared)
        except Exception:
            log.exception("tending shared channels failed; retrying next tick")

    def run(self) -> None:
        """Tick until stopped."""
        while not self._stop.is_set():
            report = self.tick()
            if report.claimed < self.batch_size:
                self._stop.wait(self.tick_seconds)

    def start(self) -> None:
        """Run in a background thread."""
        self._thread = threading.Thread(target=self.run, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end after the tick in progress; wait up to `timeout` for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
