"""Routing on submit: Critical to on-call, the rest to support, a DM to the requester."""

from __future__ import annotations

import json

import pendulum

from bot.devtools.harness import Harness
from bot.domain.requests import Priority
from bot.slack.ids import Action
from tests.e2e.flows import blocks_text, click, current, file, settle, stored


def _dm(world: Harness, user_id: str) -> list[dict[str, object]]:
    return world.standin.messages(user_id)


def test_critical_goes_to_oncall_with_the_group_mention(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="critical", subject="Everything is down")

    assert root["channel"] == world.cast.oncall_channel
    shown = blocks_text(root)
    assert f"<!subteam^{world.cast.oncall_group}>" in shown
    assert "Everything is down" in shown
    assert world.standin.messages(world.cast.support_channel) == []


def test_other_impacts_go_to_the_support_channel_without_paging_anyone(world: Harness) -> None:
    for impact in ("low", "medium", "high"):
        root = file(world, world.cast.admin, impact=impact)
        assert root["channel"] == world.cast.support_channel
        assert "<!subteam^" not in blocks_text(root)
    assert world.standin.messages(world.cast.oncall_channel) == []


def test_the_root_names_subject_impact_requester_area_contact_and_due(world: Harness) -> None:
    root = file(
        world,
        world.cast.admin,
        subject="Voice calls drop",
        impact="high",
        area="voice",
        contact="video",
    )

    shown = blocks_text(root)
    request = stored(world, root)
    due = pendulum.instance(request.first_response_due_at)
    assert due == world.clock.now().add(hours=1)
    for part in ("Voice calls drop", "High", f"<@{world.cast.admin}>", "Voice", "Video call"):
        assert part in shown, part
    assert f"<!date^{int(due.timestamp())}^" in shown


def test_the_requester_gets_a_dm_with_the_link_and_the_due_time(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="high")

    [dm] = _dm(world, world.cast.admin)
    shown = json.dumps(dm)
    request = stored(world, root)
    assert request.key in shown
    assert f"<!date^{int(pendulum.instance(request.first_response_due_at).timestamp())}^" in shown
    link = next(
        e["url"]
        for b in dm["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == Action.OPEN_CONVERSATION
    )
    permalink = world.standin.calls_to("chat.getPermalink")[-1]
    assert permalink.params["message_ts"] == root["ts"]
    assert root["ts"].replace(".", "") in link and world.cast.support_channel in link


def test_a_project_request_goes_to_the_engineer_who_took_the_project(world: Harness) -> None:
    first = file(world, world.cast.admin, project="Atlas migration", impact="low")
    click(world, world.cast.engineer, Action.TAKE, first)
    world.standin.wait_for("chat.update")
    settle(world)

    second = file(world, world.cast.admin, project="atlas MIGRATION", impact="medium")

    request = stored(world, second)
    assert request.assignee_id == world.cast.engineer
    assert request.status == "in_progress"
    assert f"<@{world.cast.engineer}>" in blocks_text(current(world, second))
    other = file(world, world.cast.admin, project="Borealis", impact="medium")
    assert stored(world, other).assignee_id is None
    assert Priority(stored(world, other).priority) is Priority.MEDIUM
