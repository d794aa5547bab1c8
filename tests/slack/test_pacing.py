"""Posts wait for their channel's turn and for a slot of the workspace-wide budget.

Driven by a fake clock: the pacer's sleeps move it, so the schedule is exact.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.db.engine import Database
from bot.slack.pacing import ChannelPacer

CHANNELS = [f"C{n:02d}" for n in range(10)]
ROUNDS = 4


class FakeTime:
    """Real seconds as the pacer sees them; sleeping moves them on at once."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


def pacer(db: Database, clock: FakeTime, *, per_minute: float) -> ChannelPacer:
    return ChannelPacer(
        db, interval=1.0, burst=3, workspace_per_minute=per_minute, now=clock, sleep=clock.sleep
    )


def drain_backlog(posts: ChannelPacer, clock: FakeTime) -> list[tuple[float, str]]:
    """Each channel has ROUNDS notices: post them in turn, as the scheduler's sender does."""
    sent: list[tuple[float, str]] = []
    for _ in range(ROUNDS):
        for channel in CHANNELS:
            with posts.turn(channel):
                sent.append((clock.now - 1000.0, channel))
    return sent


def test_a_backlog_in_many_channels_is_spread_to_the_workspace_budget(database: Database) -> None:
    clock = FakeTime()
    sent = drain_backlog(pacer(database, clock, per_minute=120), clock)

    times = [at for at, _ in sent]
    # 120 a minute: a burst of 10 (5 s worth) at once, then one post every half second
    # (the second round's first post waits for its channel, a second after its first).
    assert times[:10] == [0.0] * 10
    assert times[10] == 1.0
    assert times[11:] == pytest.approx([0.5 * (k - 9) for k in range(11, len(sent))])
    assert times[-1] == pytest.approx(15.0)  # 40 posts: 10 at once, 30 at 2 a second
    for start in times:  # never more than the burst plus the budget's rate in any window
        for window in (1.0, 2.5, 10.0):
            assert sum(start <= t < start + window for t in times) <= 10 + window * 2
    for channel in CHANNELS:  # and each channel keeps its own pace
        mine = [at for at, name in sent if name == channel]
        assert all(b - a >= 1.0 for a, b in pairwise(mine))


def test_without_a_workspace_budget_only_the_channels_pace_the_backlog(
    database: Database,
) -> None:
    clock = FakeTime()
    sent = drain_backlog(pacer(database, clock, per_minute=0), clock)

    assert sent[-1][0] == pytest.approx(ROUNDS - 1)  # one round a second: 40 posts in 3 s


def test_a_free_channel_waits_while_the_workspace_budget_is_spent(database: Database) -> None:
    clock = FakeTime()
    posts = pacer(database, clock, per_minute=6)  # one every 10 s, a burst of one
    assert posts.reserve("C01") == 0.0

    # A root someone waits for gives up after its patience (the scheduler posts it later)...
    assert posts.wait_for_slot("C02", patience=2.0) == pytest.approx(10.0)
    assert clock.now == 1000.0
    # ...and its channel's slot was not spent meanwhile: its burst is all there later.
    clock.sleep(10.0)
    assert posts.reserve("C02") == 0.0
    assert posts.reserve("C02") == pytest.approx(10.0)  # the budget again, not the channel
    assert posts.wait_for_slot("C02", patience=30.0) == 0.0
    assert clock.now == pytest.approx(1020.0)
