"""Slack answering HTTP 500 to everything for 60 simulated seconds, then recovering.

The desk's clock is a manual one, moved in 5-second steps with a scheduler tick at each:
the ping that comes due during the outage and the root of a request filed during it are
retried a bounded number of times, go out once each after Slack is back, and nothing is
recorded as failed.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.db.models import Timer, TimerState
from bot.devtools.harness import Harness
from bot.devtools.standin_state import RecordedCall
from bot.services.ledger import MAX_ATTEMPTS
from tests.e2e.flows import all_roots, file, open_modal, settle, stored_requests, submit
from tests.e2e.timer_steps import notices_in
from tests.faults.conftest import OPEN_WEDNESDAY, WorldFactory
from tests.faults.slack_faults import begin_outage, end_outage

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

# The outage: 15:07:00 to 15:08:00. The Critical request filed at 15:00 is due its 50% ping
# at 15:07:30, inside it; the 80% ping (15:12) comes after the test's last tick.
OUTAGE_STARTS = OPEN_WEDNESDAY + timedelta(minutes=7)
OUTAGE = timedelta(seconds=60)
LAST_TICK = OPEN_WEDNESDAY + timedelta(minutes=11)
STEP = timedelta(seconds=5)
# The client tries each call three times (once, then two retries on a 5xx).
CLIENT_TRIES = 3


@pytest.fixture
def world(make_world: WorldFactory, database: str, app_log: io.StringIO) -> Harness:
    return make_world(database, channel_pace_seconds=0)


def _tick_through(world: Harness, clock: ManualClock, until: Any) -> None:
    """Move the clock in 5-second steps up to `until`, one tick at each."""
    while clock.now() < until:
        clock.advance(seconds=STEP.total_seconds())
        world.runtime.scheduler.tick()
    settle(world)


def _posts(world: Harness, predicate: Any) -> list[RecordedCall]:
    return [c for c in world.standin.calls_to("chat.postMessage") if predicate(c.params)]


def test_after_a_minute_of_500s_each_ping_and_root_goes_out_once(
    world: Harness, clock: ManualClock
) -> None:
    oncall = world.cast.oncall_channel
    critical = file(world, world.cast.admin, impact="critical")
    view = open_modal(world, world.cast.admin)
    clock.set(OUTAGE_STARTS)

    begin_outage(world.standin)
    _tick_through(world, clock, OUTAGE_STARTS + timedelta(seconds=10))
    # Filed during the outage: stored at once; its root and every word to the person fail.
    assert submit(world, world.cast.admin, view, impact="critical", subject="Mid-outage").status
    # Each failing call waits out the client's two retries: give the listener its time.
    assert world.runtime.listeners.wait_idle(60.0)
    _tick_through(world, clock, OUTAGE_STARTS + OUTAGE - STEP)
    end_outage(world.standin)
    assert all_roots(world) == [critical]  # nothing got through while Slack was down
    _tick_through(world, clock, LAST_TICK)

    [first, filed] = stored_requests(world)
    late_roots = _posts(world, lambda p: p["channel"] == oncall and not p.get("thread_ts"))
    assert [c.status for c in late_roots if c.status == 200] == [200, 200]  # the first, the late
    [late] = [r for r in all_roots(world) if r["ts"] != critical["ts"]]
    assert filed.thread_ts == late["ts"] and filed.key in str(late["text"])
    pings = _posts(world, lambda p: p.get("thread_ts") == critical["ts"])
    delivered = notices_in(c.params for c in pings if c.status == 200)
    assert delivered == {(first.key, "reminder"): 1}
    # Bounded: the ping was tried at most MAX_ATTEMPTS times, each at most CLIENT_TRIES calls;
    # the root, retried within 10 s and then with doubling backoff, a handful of times.
    assert len(pings) <= MAX_ATTEMPTS * CLIENT_TRIES
    assert 1 <= len([c for c in late_roots if c.status == 500]) <= 5 * CLIENT_TRIES
    # Nothing given up on, nothing left behind, and the requester told where it went.
    with world.runtime.desk.db.session() as session:
        states = [str(s) for s in session.exec(select(Timer.state)).all()]
    assert TimerState.FAILED.value not in states
    told = [m for m in world.standin.messages(world.cast.admin) if filed.key in str(m["text"])]
    assert len(told) == 1 and "is open" in str(told[0]["text"])
