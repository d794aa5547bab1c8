"""Root messages the scheduler marks stale are rewritten in the background, within budget.

After downtime hundreds of requests can breach in one tick; rewriting each root message
(chat.update, Slack's Tier 3: about 50 a minute) inside the tick would hold the scheduler
for minutes. The tick only marks the request stale; this queue rewrites each root once,
from the request as stored at that moment, no faster than the budget allows. The budget is
shared by every replica (a row of `channel_pace`), so three of them still stay under Slack's
limit. What is still queued at shutdown is dropped: the next change of the request redraws
its root.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from bot.clock import real_time
from bot.db.engine import Database
from bot.db.pace_repo import Pace, ensure_channel, reserve_slots
from bot.services.ports import DeliveryFailed
from bot.slack.messenger import SlackMessenger

log = logging.getLogger(__name__)

# Slack's Tier 3 is "50+ per minute"; stay a little under it.
UPDATES_PER_MINUTE = 45.0
# The budget's row in `channel_pace`: no Slack channel or user id has a `*`.
UPDATES = "*root-updates*"


class RootRefreshQueue:
    """A daemon thread rewriting stale root messages, each once, paced."""

    def __init__(
        self,
        *,
        db: Database,
        messenger: SlackMessenger,
        per_minute: float = UPDATES_PER_MINUTE,
        now: Callable[[], float] = real_time,
    ) -> None:
        self._db = db
        self._messenger = messenger
        self._interval = 60.0 / per_minute
        self._now = now
        self._stale: dict[int, None] = {}
        self._wake = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def mark_stale(self, request_ids: Iterable[int]) -> None:
        """Rewrite these requests' root messages soon (each once, however often marked)."""
        with self._wake:
            self._stale.update(dict.fromkeys(request_ids))
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="root-refresh", daemon=True)
                self._thread.start()
            self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return len(self._stale)

    def stop(self) -> None:
        """Stop after the rewrite in progress; what is still queued is dropped."""
        with self._wake:
            self._stopped = True
            self._stale.clear()
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stale and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
            if not self._take_budget():
                continue
            with self._wake:
                if self._stopped or not self._stale:
                    continue
                request_id = next(iter(self._stale))
                del self._stale[request_id]
            self._rewrite(request_id)

    def _take_budget(self) -> bool:
        """Book a slot of the replicas' shared budget, waiting (no lock held) until one is
        free; False when stopped meanwhile, or when the database would not say."""
        pace = Pace(UPDATES, self._interval, burst=1, brief_locks=True)
        try:
            with self._db.session() as session:
                ensure_channel(session, channel_id=UPDATES)
            while True:
                with self._db.session() as session:
                    wait = reserve_slots(session, paces=[pace], now=self._now())
                with self._wake:
                    if self._stopped:
                        return False
                    if wait <= 0:
                        return True
                    self._wake.wait(wait)
        except Exception:
            log.exception("the budget of root rewrites could not be read; trying again soon")
            with self._wake:
                self._wake.wait(self._interval)
            return False

    def _rewrite(self, request_id: int) -> None:
        try:
            with self._db.unit_of_work() as uow:
                request = uow.requests.get(request_id)
            if request is not None:
                self._messenger.refresh(request)
        except DeliveryFailed as error:
            log.warning("could not rewrite the root message of request %s: %s", request_id, error)
        except Exception:
            log.exception("rewriting the root message of request %s failed", request_id)
