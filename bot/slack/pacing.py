"""Turns for posts shared by every replica: per channel, and within one workspace-wide budget.

A poster holds the channel's turn (a row lock in `channel_pace`) from its wait until Slack
has answered, so two posts to one channel never overlap or bunch up, across replicas.
Every post also takes a slot of the workspace's budget (the `WORKSPACE` row of the same
table), so a backlog spread over many channels stays under Slack's workspace-wide limit.
Both are real time (Slack's rate limits), whatever the desk's clock does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.clock import real_sleep, real_time
from bot.db.engine import Database, database_unavailable
from bot.db.pace_repo import (
    WORKSPACE,
    Pace,
    ensure_channel,
    lock_channel,
    reserve_slots,
    set_next_post,
)

log = logging.getLogger(__name__)

# Seconds of the workspace budget the app may spend at once before its steady pace applies
# (Slack grants "generous burst behavior"): 20 posts at the default 240 a minute.
WORKSPACE_BURST_SECONDS = 5.0


class ChannelPacer:
    """Hands out channel turns and workspace slots through the database."""

    def __init__(
        self,
        db: Database,
        *,
        interval: float = 1.0,
        burst: int = 3,
        workspace_per_minute: float,
        now: Callable[[], float] = real_time,
        sleep: Callable[[float], None] = real_sleep,
    ) -> None:
        self.db = db
        self.interval = interval
        # Posts a channel takes at once before the steady pace applies (Slack allows bursts).
        self.burst = burst
        # Posts a minute across every channel and replica; 0 means no workspace budget.
        self.workspace_interval = 60.0 / workspace_per_minute if workspace_per_minute > 0 else 0.0
        self.workspace_burst = max(1, round(workspace_per_minute * WORKSPACE_BURST_SECONDS / 60))
        self._now = now
        self._sleep = sleep
        self._known: set[str] = set()  # channels whose pace row exists (rows are never deleted)

    def reserve(self, channel: str) -> float:
        """Take a channel slot and a workspace slot if both are free now (0.0), else neither.

        The answer is then how long until the busy one frees up.
        """
        self._ensure(channel)
        paces = [Pace(channel, self.interval, self.burst), *self._workspace()]
        with self.db.session() as session:
            return reserve_slots(session, paces=paces, now=self._now())

    def wait_for_slot(self, channel: str, *, patience: float = 30.0) -> float:
        """Book a slot in the channel (and the workspace), waiting (no lock held) until free.

        For posts someone is waiting on (notes, links between threads): they take the
        channel's burst allowance and otherwise wait their turn, never beyond `patience`
        seconds (then Slack's own Retry-After handling takes over). Returns 0.0 once a
        slot is booked, else how long the channel or the workspace stays busy.
        """
        deadline = self._now() + patience
        while (wait := self.reserve(channel)) > 0 and self._now() + wait <= deadline:
            self._sleep(wait)
        return wait

    @contextmanager
    def turn(self, channel: str) -> Iterator[None]:
        """Hold the channel's turn: wait for its slot and a workspace slot, run the block.

        When the block is done, the channel's next slot is one interval later.
        """
        self._ensure(channel)
        posted = False
        try:
            # The row stays locked until this session commits, after the post was answered.
            with self.db.session() as session:
                ready = lock_channel(session, channel_id=channel)
                self._sleep(ready - self._now())
                self._wait_for_workspace()
                try:
                    yield
                    posted = True
                finally:
                    set_next_post(session, channel_id=channel, at=self._now() + self.interval)
        except Exception as error:
            # The post went out and its outcome must still be recorded; only the channel's
            # next slot was lost with the database (a restart).
            if not (posted and database_unavailable(error)):
                raise
            log.warning("the turn in %s was not written down: the database is unavailable", channel)

    def _wait_for_workspace(self) -> None:
        """Until a slot of the workspace budget is booked (each try in a short transaction)."""
        paces = self._workspace()
        while paces:
            with self.db.session() as session:
                wait = reserve_slots(session, paces=paces, now=self._now())
            if wait <= 0:
                return
            self._sleep(wait)

    def _workspace(self) -> list[Pace]:
        """The workspace budget's pace, if there is one (its row made once)."""
        if not self.workspace_interval:
            return []
        self._ensure(WORKSPACE)
        return [Pace(WORKSPACE, self.workspace_interval, self.workspace_burst, brief_locks=True)]

    def _ensure(self, channel: str) -> None:
        if channel not in self._known:
            with self.db.session() as session:
                ensure_channel(session, channel_id=channel)
            self._known.add(channel)
