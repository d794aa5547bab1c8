"""A worker killed with SIGKILL in the middle of a busy tick loses nothing.

Slack (the stand-in) answers slowly, so the kill lands while a post is in flight. Another
worker takes over once the dead one's lease has run out: every notice arrives, and only the
one in flight at the kill may arrive twice.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import Timer, TimerState
from bot.devtools.standin import SlackStandIn
from bot.domain.timer_kinds import TimerKind
from tests.e2e.timer_steps import notices_in
from tests.replicas.workers import Due, running, seed, wait_until_drained, worker_env

REQUESTS = 8
STALL = 0.8  # seconds Slack takes to answer each post
LEASE = 5


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_sigkill_mid_tick_loses_nothing_and_repeats_at_most_the_post_in_flight(
    standin: SlackStandIn, tmp_path: Path, database_url: str
) -> None:
    upgrade(database_url)
    db = Database.from_url(database_url)
    try:
        # One channel each: every notice is a single post, sent one after another.
        plan = [Due(TimerKind.CRITICAL_UPDATE, f"C0CRASH{n}") for n in range(REQUESTS)]
        requests = seed(db, standin, plan)
        standin.stall_next("chat.postMessage", STALL, count=REQUESTS + 2)
        env = worker_env(standin, database_url, scheduler_lease_seconds=LEASE)

        with running(env, tmp_path, 1) as [first]:
            standin.wait_for("chat.postMessage", count=3, timeout=30)
            time.sleep(STALL / 3)  # the fourth post is now waiting on Slack
            first.process.kill()
            first.process.wait(10)
        answered_before_kill = len(standin.calls_to("chat.postMessage"))

        with running(env, tmp_path, 1) as [second]:
            wait_until_drained(db, [second], timeout=60)
        states = _original_states(db, plan_kinds=TimerKind.CRITICAL_UPDATE)
    finally:
        db.dispose()

    seen = notices_in(call.params for call in standin.calls_to("chat.postMessage"))
    assert set(seen) == {(r.key, "update_due") for r in requests}
    repeated = [key for key, count in seen.items() if count > 1]
    assert len(repeated) <= 1 and max(seen.values()) <= 2, seen
    assert answered_before_kill < REQUESTS  # the kill really came mid-tick
    assert states == Counter({TimerState.DONE.value: REQUESTS, TimerState.PENDING.value: REQUESTS})


def _original_states(db: Database, *, plan_kinds: TimerKind) -> Counter[str]:
    """States of the update timers: the seeded ones done, each with its next one pending."""
    with db.session() as session:
        statement = select(Timer.state).where(col(Timer.kind) == plan_kinds.value)
        return Counter(str(state) for state in session.exec(statement).all())
