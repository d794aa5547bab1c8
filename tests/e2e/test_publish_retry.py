"""A root message Slack refuses at filing is posted later by the scheduler, exactly once.

The stand-in answers chat.postMessage with HTTP 500 past the client's retries; the request
is filed all the same, and the scheduler opens its conversation once the grace has passed.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db.models import Timer
from bot.db.timers_repo import pending_timers
from bot.devtools.harness import Harness
from bot.domain.timer_kinds import TimerKind
from bot.services.conversations import FIRST_RETRY, PUBLISH_GRACE
from bot.services.timers import CONVERSATION_WAIT
from tests.e2e.conftest import OPEN_WEDNESDAY, WorldFactory, sqlite_only
from tests.e2e.flows import (
    all_roots,
    open_modal,
    reply,
    settle,
    stored,
    stored_requests,
    submit,
)
from tests.e2e.timer_steps import in_thread, run_until, shown

# The client tries a 5xx three times (once and two retries) before it gives up.
ROOT_FAILS = {"status": 500, "count": 3}


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    return make_world(channel_pace_seconds=0)


def _dms(world: Harness) -> list[dict[str, Any]]:
    return world.standin.messages(world.cast.admin)


def _file_while_slack_fails(world: Harness, **values: Any) -> tuple[dict[str, Any], int]:
    """Submit the modal while root posts fail; returns the view and the filed request's id."""
    view = open_modal(world, world.cast.admin)
    told = len(_dms(world))
    world.standin.fail_next("chat.postMessage", **ROOT_FAILS)
    assert submit(world, world.cast.admin, view, **values).status == 200
    admin = world.cast.admin
    world.standin.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.params["channel"] == admin,
        count=told + 1,
        timeout=15,
    )
    settle(world)
    return view, stored_requests(world)[-1].id or 0


def test_the_requester_is_told_it_is_filed_and_the_conversation_opens_later(
    world: Harness, clock: ManualClock
) -> None:
    view, request_id = _file_while_slack_fails(world, impact="high")

    assert all_roots(world) == []
    assert stored(world, request_id).thread_ts is None
    [filed] = _dms(world)
    assert "is filed" in shown(filed) and "opens shortly" in shown(filed)
    assert world.standin.ephemerals() == []  # no apology: nothing went wrong for them
    # Slack retries the submission meanwhile: nothing more is filed or posted.
    posts = len(world.standin.calls_to("chat.postMessage"))
    assert submit(world, world.cast.admin, view, impact="high").status == 200
    settle(world)
    assert len(stored_requests(world)) == 1
    assert len(world.standin.calls_to("chat.postMessage")) == posts

    # The scheduler retries within 10 s of the failure.
    assert run_until(world, clock, OPEN_WEDNESDAY + FIRST_RETRY - timedelta(seconds=1)) == []
    posted = run_until(world, clock, OPEN_WEDNESDAY + FIRST_RETRY)

    [root] = all_roots(world)
    assert root["channel"] == world.cast.support_channel
    # The root message, once, then the requester's note that the conversation is open.
    assert [p["channel"] for p in posted] == [world.cast.support_channel, world.cast.admin]
    request = stored(world, request_id)
    assert (request.slack_channel_id, request.thread_ts) == (root["channel"], root["ts"])
    assert request.key in shown(root)
    opened = _dms(world)[-1]
    assert "is open" in shown(opened) and root["ts"].replace(".", "") in shown(opened)


def test_the_late_conversation_works_like_any_other(world: Harness, clock: ManualClock) -> None:
    _, request_id = _file_while_slack_fails(world, impact="high")
    run_until(world, clock, OPEN_WEDNESDAY + PUBLISH_GRACE)
    [root] = all_roots(world)

    # The 50% ping of a High request filed at 15:00, in the conversation opened late.
    [ping] = run_until(world, clock, OPEN_WEDNESDAY.add(minutes=30))
    assert ping["thread_ts"] == root["ts"] and "50%" in shown(ping)
    reply(world, root, world.cast.engineer, "Looking at it now.")
    settle(world)

    assert stored(world, request_id).first_responded_at is not None
    assert run_until(world, clock, OPEN_WEDNESDAY.add(hours=3)) == []
    assert len(all_roots(world)) == 1


def test_a_ping_due_before_the_conversation_opens_waits_for_it(
    world: Harness, clock: ManualClock
) -> None:
    _, request_id = _file_while_slack_fails(world, impact="critical")
    ping_at = OPEN_WEDNESDAY.add(minutes=7, seconds=30)

    posted = run_until(world, clock, ping_at)  # the root message, late; the ping waits

    [root] = all_roots(world)
    assert root["channel"] == world.cast.oncall_channel
    assert in_thread(posted, root) == []
    [ping] = in_thread(run_until(world, clock, ping_at + CONVERSATION_WAIT), root)
    assert "needs a first response" in shown(ping)
    assert f"<!subteam^{world.cast.oncall_group}>" in shown(ping)
    assert stored(world, request_id).thread_ts == root["ts"]


@sqlite_only
def test_late_root_messages_are_never_folded_into_a_digest(
    world: Harness, clock: ManualClock
) -> None:
    filed = [_file_while_slack_fails(world, subject=f"Issue {n}")[1] for n in range(3)]

    posted = run_until(world, clock, OPEN_WEDNESDAY + PUBLISH_GRACE)

    roots = all_roots(world)
    assert len(roots) == 3 and not any("need attention" in shown(root) for root in roots)
    assert sorted(stored(world, ident).thread_ts or "" for ident in filed) == sorted(
        root["ts"] for root in roots
    )
    assert len([p for p in posted if p["channel"] == world.cast.admin]) == 3


def _publish_timer(world: Harness, request_id: int) -> Timer | None:
    with world.runtime.desk.db.session() as session:
        timers = pending_timers(session, request_id=request_id)
    kind = TimerKind.PUBLISH_CONVERSATION
    return next((t for t in timers if t.kind == kind), None)


def _held_by_filing(world: Harness) -> None:
    """Wait until filing has taken the publish timer of the (only) request for its post."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        requests = stored_requests(world)
        timer = _publish_timer(world, requests[0].id or 0) if requests else None
        if timer is not None and (timer.claimed_by or "").startswith("conversation:"):
            return
        time.sleep(0.02)
    raise AssertionError("filing never took the publish timer")


def test_a_slow_root_post_is_never_posted_again_by_the_scheduler(
    world: Harness, clock: ManualClock
) -> None:
    view = open_modal(world, world.cast.admin)
    world.standin.stall_next("chat.postMessage", seconds=2.0)
    assert submit(world, world.cast.admin, view, impact="high").status == 200

    # Slack takes its time; the grace passes meanwhile, and the scheduler ticks.
    _held_by_filing(world)
    clock.set(OPEN_WEDNESDAY + PUBLISH_GRACE + timedelta(seconds=5))
    assert world.runtime.scheduler.tick().claimed == 0

    settle(world)
    assert len(all_roots(world)) == 1
    assert run_until(world, clock, OPEN_WEDNESDAY.add(minutes=10)) == []
    assert len(all_roots(world)) == 1
