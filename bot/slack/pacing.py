"""Per-channel turns shared by every replica: at most one post per interval per channel.

A poster holds the channel's turn (a row lock in `channel_pace`) from its wait until Slack
has answered, so two posts to one channel never overlap or bunch up, across replicas.
The interval is real time (Slack's rate limit), whatever the desk's clock does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.clock import real_sleep, real_time
from bot.db.engine import Database
from bot.db.pace_repo import ensure_channel, lock_channel, reserve_slot, set_next_post


class ChannelPacer:
    """Hands out channel turns through the database."""

    def __init__(
        self,
        db: Database,
        *,
        interval: float = 1.0,
        burst: int = 3,
        now: Callable[[], float] = real_time,
        sleep: Callable[[float], None] = real_sleep,
    ) -> None:
        self.db = db
        self.interval = interval
        # Posts a channel takes at once before the steady pace applies (Slack allows bursts).
        self.burst = burst
        self._now = now
        self._sleep = sleep
        self._known: set[str] = set()  # channels whose pace row exists (rows are never deleted)

    def reserve(self, channel: str) -> float:
        """Take the channel's slot if it is free now (0.0), else say how long until it is."""
        self._ensure(channel)
        with self.db.session() as session:
            return reserve_slot(
                session,
                channel_id=channel,
                now=self._now(),
                interval=self.interval,
                burst=self.burst,
            )

    def wait_for_slot(self, channel: str, *, patience: float = 30.0) -> float:
        """Book a slot in the channel, waiting (no lock held) until one is free.

        For posts someone is waiting on (notes, links between threads): they take the
        channel's burst allowance and otherwise wait their turn, never beyond `patience`
        seconds (then Slack's own Retry-After handling takes over). Returns 0.0 once a
        slot is booked, else how long the channel stays busy.
        """
        deadline = self._now() + patience
        while (wait := self.reserve(channel)) > 0 and self._now() + wait <= deadline:
            self._sleep(wait)
        return wait

    @contextmanager
    def turn(self, channel: str) -> Iterator[None]:
        """Hold the channel's turn: wait for its slot, run the block, then set the next slot."""
        self._ensure(channel)
        # The row stays locked until this session commits, after the post was answered.
        with self.db.session() as session:
            ready = lock_channel(session, channel_id=channel)
            self._sleep(ready - self._now())
            try:
                yield
            finally:
                set_next_post(session, channel_id=channel, at=self._now() + self.interval)

    def _ensure(self, channel: str) -> None:
        if channel not in self._known:
            with self.db.session() as session:
                ensure_channel(session, channel_id=channel)
            self._known.add(channel)
