"""Filing through /kustomer-support, end to end over signed HTTP."""

from __future__ import annotations

import json

from bot.devtools.harness import Harness
from bot.slack.ids import Callback, Field
from tests.e2e.flows import file, open_modal, submit


def test_admin_gets_the_modal_with_four_impacts_and_their_targets(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)

    assert view["callback_id"] == Callback.FILE_REQUEST
    impact = next(b for b in view["blocks"] if b.get("block_id") == Field.IMPACT)
    options = impact["element"]["options"]
    assert [o["value"] for o in options] == ["low", "medium", "high", "critical"]
    texts = [o["text"]["text"] for o in options]
    assert "1 hour" in texts[2]
    assert "15 minutes" in texts[3]


def test_critical_goes_to_oncall_with_the_group_mention(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="critical", subject="Everything is down")

    assert root["channel"] == world.cast.oncall_channel
    dumped = json.dumps(root["blocks"])
    assert f"<!subteam^{world.cast.oncall_group}>" in dumped
    assert "Everything is down" in dumped


def test_high_goes_to_the_support_channel_and_the_requester_is_told(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="high")

    assert root["channel"] == world.cast.support_channel
    confirmation = world.standin.wait_for(
        "chat.postMessage", predicate=lambda c: c.params.get("channel") == world.cast.admin
    )[-1]
    text = json.dumps(confirmation.params)
    assert "KS-1001" in text
    assert "<!date^" in text


def test_a_retried_submission_adds_nothing(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)
    first = submit(world, world.cast.admin, view, impact="low")
    world.standin.wait_for("chat.postMessage", count=2)
    again = submit(world, world.cast.admin, view, impact="low")

    assert first.status == again.status == 200
    roots = [
        m for m in world.standin.messages(world.cast.support_channel) if not m.get("thread_ts")
    ]
    assert len(roots) == 1
