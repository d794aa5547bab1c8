"""A group ping that nobody needs any more is edited in Slack to say so."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from tests.e2e.conftest import OPEN_WEDNESDAY
from tests.e2e.flows import file, reply, settle, updates_of
from tests.e2e.timer_steps import in_thread, run_until, shown


def test_the_first_response_rewrites_the_group_ping(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="high")
    [ping] = in_thread(run_until(world, clock, OPEN_WEDNESDAY.add(minutes=30)), root)
    assert f"<!subteam^{world.cast.support_group}>" in shown(ping)
    ping = next(m for m in world.standin.messages(root["channel"]) if m.get("text") == ping["text"])

    reply(world, root, world.cast.engineer, "Looking at it now.")
    settle(world)

    [edit] = updates_of(world, ping)
    assert "answered by" in shown(edit.params) and "<!subteam^" not in shown(edit.params)


def test_a_later_ping_rewrites_the_earlier_one(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="high")
    [first] = in_thread(run_until(world, clock, OPEN_WEDNESDAY.add(minutes=30)), root)
    first = next(
        m for m in world.standin.messages(root["channel"]) if m.get("text") == first["text"]
    )

    [second] = in_thread(run_until(world, clock, OPEN_WEDNESDAY.add(minutes=48)), root)

    [edit] = updates_of(world, first)
    assert "superseded" in shown(edit.params) and "<!subteam^" not in shown(edit.params)
    assert "<!subteam^" in shown(second)
