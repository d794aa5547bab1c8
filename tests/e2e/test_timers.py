"""Pings, breaches, escalation, cadence and the resolution clock, end to end over HTTP.

The scheduler is ticked by the test after each move of a manual clock; per-channel pacing
is off here (tests/e2e/test_timers_downtime.py keeps it real).
"""

from __future__ import annotations

import pendulum
import pytest
from pendulum import DateTime

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.slack.ids import Action
from tests.e2e.conftest import WorldFactory
from tests.e2e.flows import current, file, reply, settle, stored
from tests.e2e.timer_steps import in_channel, in_thread, press, run_until, shown

NEW_YORK = "America/New_York"


def local(*args: int) -> DateTime:
    return pendulum.datetime(2026, 11, *args, tz=NEW_YORK)


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    return make_world(channel_pace_seconds=0)


@pytest.mark.parametrize(
    ("impact", "pings", "due", "group"),
    [
        ("low", [local(18, 17, 0), local(18, 18, 12)], local(18, 19, 0), "support_group"),
        ("medium", [local(18, 16, 0), local(18, 16, 36)], local(18, 17, 0), "support_group"),
        ("high", [local(18, 15, 30), local(18, 15, 48)], local(18, 16, 0), "support_group"),
        ("critical", [local(18, 15, 7, 30), local(18, 15, 12)], local(18, 15, 15), "oncall_group"),
    ],
)
def test_pings_breach_and_escalation_for_each_priority(
    world: Harness,
    clock: ManualClock,
    impact: str,
    pings: list[DateTime],
    due: DateTime,
    group: str,
) -> None:
    root = file(world, world.cast.admin, impact=impact)
    key = stored(world, root).key
    group_id = getattr(world.cast, group)

    for instant, percent in zip(pings, ("50%", "80%"), strict=True):
        assert run_until(world, clock, instant.subtract(seconds=1)) == []
        [ping] = run_until(world, clock, instant)
        assert ping["thread_ts"] == root["ts"]
        text = shown(ping)
        assert f"<!subteam^{group_id}>" in text and key in text
        assert percent in text and " left, due <!date^" in text

    assert run_until(world, clock, due.subtract(seconds=1)) == []
    posted = run_until(world, clock, due)
    [breach] = in_thread(posted, root)
    assert "missed its first-response target" in shown(breach)
    assert "BREACHED" in shown(current(world, root))
    [escalation] = in_channel(posted, world.cast.escalation_channel)
    assert "First-response target breached" in shown(escalation) and key in shown(escalation)
    link = f"https://standin.slack.test/archives/{root['channel']}/p{root['ts'].replace('.', '')}"
    assert link in shown(escalation)
    assert stored(world, root).breached_at is not None
    assert run_until(world, clock, due.add(hours=2)) == []


def test_an_assigned_request_pings_its_assignee(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="high")
    press(world, world.cast.engineer, Action.TAKE, root)

    [ping] = run_until(world, clock, local(18, 15, 30))
    assert f"<@{world.cast.engineer}>" in shown(ping)
    assert "<!subteam^" not in shown(ping)


def test_a_first_response_in_the_thread_cancels_pings_and_breach(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="high")
    assert len(run_until(world, clock, local(18, 15, 30))) == 1

    clock.set(local(18, 15, 35))
    reply(world, root, world.cast.engineer, "Looking at it now.")
    settle(world)

    assert stored(world, root).first_responded_at is not None
    assert run_until(world, clock, local(18, 18, 0)) == []
    assert stored(world, root).breached_at is None


def test_a_priority_change_reschedules_and_a_passed_target_breaches_at_once(
    world: Harness, clock: ManualClock
) -> None:
    late = file(world, world.cast.admin, impact="low", subject="Reports are slow")
    clock.set(local(18, 15, 40))
    soon = file(world, world.cast.admin, impact="low", subject="Exports fail")
    # "soon" was filed at 15:40: as High it is due at 16:40, with pings at 16:10 and 16:28.
    press(world, world.cast.engineer, Action.CHANGE_PRIORITY, soon, selected_value="high")
    assert run_until(world, clock, local(18, 16, 9)) == []
    [ping] = run_until(world, clock, local(18, 16, 10))
    assert ping["thread_ts"] == soon["ts"] and "50%" in shown(ping)

    clock.set(local(18, 16, 30))
    # "late" was filed at 15:00: as High its 16:00 target has already passed.
    press(world, world.cast.engineer, Action.CHANGE_PRIORITY, late, selected_value="high")
    posted = run_until(world, clock, local(18, 16, 30))
    [breach] = in_thread(posted, late)
    assert "missed its first-response target" in shown(breach)
    assert len(in_channel(posted, world.cast.escalation_channel)) == 1
    # The Low pings of "late" (17:00, 18:12) were cancelled with the change.
    posted = run_until(world, clock, local(18, 18, 30))
    assert in_thread(posted, late) == []


def test_raising_to_critical_moves_the_pings_to_on_call(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="high")
    clock.set(local(18, 15, 3))
    press(world, world.cast.engineer, Action.CHANGE_PRIORITY, root, selected_value="critical")
    moved = stored(world, root)
    assert moved.slack_channel_id == world.cast.oncall_channel

    [ping] = run_until(world, clock, local(18, 15, 7, 30))
    assert (ping["channel"], ping["thread_ts"]) == (moved.slack_channel_id, moved.thread_ts)
    assert f"<!subteam^{world.cast.oncall_group}>" in shown(ping)


def test_critical_asks_for_an_update_every_30_minutes(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="critical")
    clock.set(local(18, 15, 5))
    reply(world, root, world.cast.oncall, "On it: the database is failing over.")
    settle(world)

    assert run_until(world, clock, local(18, 15, 34)) == []
    [nudge] = run_until(world, clock, local(18, 15, 35))
    assert nudge["thread_ts"] == root["ts"] and "an update is due" in shown(nudge)

    clock.set(local(18, 15, 50))
    reply(world, root, world.cast.oncall, "Failover done, watching error rates.")
    settle(world)
    assert run_until(world, clock, local(18, 16, 5)) == []
    [nudge] = run_until(world, clock, local(18, 16, 20))
    assert "an update is due" in shown(nudge)

    press(world, world.cast.oncall, Action.RESOLVE, root)
    assert run_until(world, clock, local(18, 18, 0)) == []


def test_the_resolution_clock_pauses_while_waiting_on_the_customer(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="high")
    press(world, world.cast.engineer, Action.TAKE, root)
    reply(world, root, world.cast.engineer, "Checking the logs.")
    settle(world)

    clock.set(local(19, 15, 0))
    press(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, root)
    assert "paused" in shown(current(world, root))
    assert in_thread(run_until(world, clock, local(20, 15, 0)), root) == []
    press(world, world.cast.customer, Action.CUSTOMER_REPLIED, root)

    # 24 business hours paused: due on Wednesday 12:00 (not Tuesday), and the one reminder,
    # at 80%, on Tuesday 16:48 (not Monday): to the assignee, never the whole group.
    due = local(25, 12, 0)
    assert f"<!date^{int(due.timestamp())}^" in shown(current(world, root))
    assert run_until(world, clock, local(23, 16, 48)) == []
    assert run_until(world, clock, local(24, 16, 47)) == []
    [ping] = run_until(world, clock, local(24, 16, 48))
    assert "is due to be resolved" in shown(ping) and ping["thread_ts"] == root["ts"]
    assert f"<@{world.cast.engineer}>" in shown(ping) and "<!subteam^" not in shown(ping)
    assert run_until(world, clock, local(25, 11, 59)) == []

    posted = run_until(world, clock, due)
    [breach] = in_thread(posted, root)
    assert "passed its resolution target" in shown(breach)
    [escalation] = in_channel(posted, world.cast.escalation_channel)
    assert "Resolution target passed" in shown(escalation)
    assert "BREACHED" in shown(current(world, root))


def test_escalated_to_development_the_resolution_clock_is_off(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="high")
    reply(world, root, world.cast.engineer, "Reproduced; handing to engineering.")
    settle(world)
    press(world, world.cast.engineer, Action.ESCALATE_DEVELOPMENT, root)

    assert "off the resolution clock" in shown(current(world, root))
    assert run_until(world, clock, local(30, 12, 0)) == []
