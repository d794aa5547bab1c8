"""A change of impact across Critical moves the conversation, through the one use case.

The move is durable: when Slack fails in the middle of it, the priority is committed, the
scheduler posts the new root message once Slack recovers, exactly once, and replies in
the old thread still reach the request.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.domain.requests import Priority
from bot.services.conversations import FIRST_RETRY
from tests.e2e.conftest import OPEN_WEDNESDAY, WorldFactory
from tests.e2e.flows import (
    change_priority,
    file,
    reply,
    roots,
    settle,
    stored,
    thread_replies,
)
from tests.e2e.timer_steps import run_until, shown

# Every chat.postMessage of the move fails, each through the client's own retries: the
# note in the old thread and the new root message alike.
SLACK_DOWN = {"status": 500, "count": 12}


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    return make_world(channel_pace_seconds=0)


def test_a_raise_to_critical_while_slack_fails_opens_on_call_exactly_once(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="medium", subject="Logins fail for everyone")
    world.standin.fail_next("chat.postMessage", **SLACK_DOWN)

    change_priority(world, world.cast.engineer, root, "critical")
    settle(world)

    assert roots(world, world.cast.oncall_channel) == []
    request = stored(world, root)
    assert request.priority is Priority.CRITICAL and request.conversation_pending
    world.standin.recover("chat.postMessage")

    run_until(world, clock, OPEN_WEDNESDAY + FIRST_RETRY + timedelta(seconds=10))
    [moved] = roots(world, world.cast.oncall_channel)
    assert f"<!subteam^{world.cast.oncall_group}>" in shown(moved)
    request = stored(world, root)
    assert (request.slack_channel_id, request.thread_ts) == (moved["channel"], moved["ts"])
    assert not request.conversation_pending

    # Hours of ticks later: still exactly one root in on-call.
    run_until(world, clock, OPEN_WEDNESDAY.add(hours=2))
    assert len(roots(world, world.cast.oncall_channel)) == 1
    old_notes = " ".join(shown(m) for m in thread_replies(world, root))
    assert "continues in" in old_notes
    new_notes = " ".join(shown(m) for m in thread_replies(world, moved))
    assert "Continued here" in new_notes


def test_a_reply_in_the_old_thread_still_reaches_the_request(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="medium")
    change_priority(world, world.cast.engineer, root, "critical")
    settle(world)
    [moved] = roots(world, world.cast.oncall_channel)

    reply(world, root, world.cast.engineer, "On it, checking the login service.")
    settle(world)

    request = stored(world, root)
    assert request.thread_ts == moved["ts"]
    assert request.first_responded_at is not None


def test_lowering_a_critical_moves_it_back_to_support(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="critical", subject="Checkout is down")
    assert root["channel"] == world.cast.oncall_channel

    change_priority(world, world.cast.engineer, root, "high")
    settle(world)

    [back] = [r for r in roots(world, world.cast.support_channel) if "Checkout" in shown(r)]
    request = stored(world, root)
    assert (request.slack_channel_id, request.thread_ts) == (back["channel"], back["ts"])
    assert "continues in" in " ".join(shown(m) for m in thread_replies(world, root))
    assert "Continued here" in " ".join(shown(m) for m in thread_replies(world, back))
    assert f"<!subteam^{world.cast.oncall_group}>" not in shown(back)
