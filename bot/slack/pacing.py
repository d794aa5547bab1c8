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
from bot.db.pace_repo import ensure_channel, lock_channel, set_next_post


class ChannelPacer:
    """Hands out channel turns through the database."""

    def __init__(
        self,
        db: Database,
        *,
        interval: float = 1.0,
        now: Callable[[], float] = real_time,
        sleep: Callable[[float], None] = real_sleep,
    ) -> None:
        self.db = db
        self.interval = interval
        self._now = now
        self._sleep = sleep
        self._known: set[str] = set()  # channels whose pace row exists (rows are never deleted)

    @contextmanager
    def turn(self, channel: str) -> Iterator[None]:
        """Hold the channel's turn: wait for its slot, run the block, then set the next slot."""
        if channel not in self._known:
            with self.db.session() as session:
                ensure_channel(session, channel_id=channel)
            self._known.add(channel)
        # The row stays locked until this session commits, after the post was answered.
        with self.db.session() as session:
            ready = lock_channel(session, channel_id=channel)
            self._sleep(ready - self._now())
            try:
                yield
            finally:
                set_next_post(session, channel_id=channel, at=self._now() + self.interval)
