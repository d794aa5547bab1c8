"""Day one on a real support desk, end to end over signed requests.

The route sets a requester's ceiling (email: Medium, chat: High; Critical is the desk's
call), on-call is part of the desk, and a Critical always pages on-call.
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from pendulum import DateTime

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.slack.ids import Action
from tests.e2e.conftest import WorldFactory
from tests.e2e.flows import (
    blocks_text,
    change_priority,
    command,
    current,
    file,
    reply,
    settle,
    stored,
    submit_and_wait,
    thread_replies,
    updates_of,
)
from tests.e2e.timer_steps import in_channel, in_thread, press, run_until, shown

NEW_YORK = "America/New_York"


def local(*args: int) -> DateTime:
    return pendulum.datetime(2026, 11, *args, tz=NEW_YORK)


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    return make_world(channel_pace_seconds=0)


def _file_by_email_route(world: Harness, user_id: str, **values: Any) -> dict[str, Any]:
    """Someone chat is closed to: /kustomer-support, the note's button, the email modal."""
    before = len(world.standin.responses())
    command(world, user_id)
    settle(world)
    [note] = world.standin.responses()[before:]
    opened = len(world.standin.calls_to("views.open"))
    response = world.driver.block_action(
        user_id=user_id,
        action_id=Action.OPEN_EMAIL_FILING,
        channel_id=world.cast.support_channel,
        container={
            "type": "message",
            "channel_id": world.cast.support_channel,
            "message_ts": "1700000000.000001",
            "is_ephemeral": True,
        },
        message={"ts": "1700000000.000001", "blocks": note["blocks"]},
    )
    assert response.status == 200
    world.standin.wait_for("views.open", count=opened + 1)
    view = world.standin.views_opened()[-1]
    return submit_and_wait(world, user_id, view, impact=None, **values)


def _refused(world: Harness, user_id: str, root: dict[str, Any], priority: str) -> str:
    """Choose `priority` in the root's menu, expect a refusal; return its text."""
    before = len(world.standin.ephemerals(user=user_id))
    change_priority(world, user_id, current(world, root), priority)
    world.standin.wait_for(
        "chat.postEphemeral", predicate=lambda c: c.params.get("user") == user_id
    )
    settle(world)
    refusals = world.standin.ephemerals(user=user_id)[before:]
    assert len(refusals) == 1, refusals
    return str(refusals[0]["text"])


def _selected_impact(root: dict[str, Any]) -> str:
    """The impact the root's priority menu shows as chosen."""
    for block in root["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == Action.CHANGE_PRIORITY:
                return str(element["initial_option"]["value"]).rsplit(":", 1)[-1]
    raise AssertionError("no priority menu on the root message")


# The route sets the ceiling


def test_an_email_route_requester_may_not_raise_to_high(world: Harness) -> None:
    customer = world.cast.customer
    root = _file_by_email_route(world, customer, subject="Macros vanished")
    request = stored(world, root)
    assert (request.priority, request.intake_channel) == ("medium", "email")

    text = _refused(world, customer, root, "high")

    assert "email route" in text and "Medium" in text and request.key in text
    after = stored(world, root)
    assert (after.priority, after.version) == ("medium", request.version)
    # The root is redrawn, so the menu shows the real impact again; nothing is said.
    [redraw] = updates_of(world, root)
    assert _selected_impact(dict(redraw.params)) == "medium"
    assert _selected_impact(current(world, root)) == "medium"
    assert thread_replies(world, root) == []
    assert world.standin.messages(world.cast.oncall_channel) == []


def test_an_email_route_requester_may_lower_their_request(world: Harness) -> None:
    customer = world.cast.customer
    root = _file_by_email_route(world, customer, subject="Macros vanished")

    press(world, customer, Action.CHANGE_PRIORITY, root, selected_value="low")

    assert stored(world, root).priority == "low"
    assert world.standin.ephemerals(user=customer) == []
    assert "from Medium to Low" in thread_replies(world, root)[-1]["text"]


def test_a_chat_requester_may_not_raise_to_critical(world: Harness) -> None:
    admin = world.cast.admin
    root = file(world, admin, impact="high", subject="Exports are slow")

    text = _refused(world, admin, root, "critical")

    assert "support or on-call team" in text
    assert stored(world, root).priority == "high"
    assert _selected_impact(current(world, root)) == "high"
    assert world.standin.messages(world.cast.oncall_channel) == []
    assert thread_replies(world, root) == []


def test_a_chat_requester_may_raise_up_to_high(world: Harness) -> None:
    admin = world.cast.admin
    root = file(world, admin, impact="low", subject="Exports are slow")

    press(world, admin, Action.CHANGE_PRIORITY, root, selected_value="high")

    assert stored(world, root).priority == "high"
    assert world.standin.ephemerals(user=admin) == []


def test_an_oncall_only_member_raises_an_emailed_request_to_critical(world: Harness) -> None:
    root = _file_by_email_route(world, world.cast.customer, subject="Nobody can log in")

    change_priority(world, world.cast.oncall_only, current(world, root), "critical")
    world.standin.wait_for(
        "chat.postMessage", predicate=lambda c: c.params.get("channel") == world.cast.oncall_channel
    )
    settle(world)

    request = stored(world, root)
    assert (request.priority, request.slack_channel_id) == ("critical", world.cast.oncall_channel)
    assert world.standin.ephemerals(user=world.cast.oncall_only) == []


# On-call is part of the desk


def test_an_oncall_only_member_takes_and_their_reply_is_the_first_response(
    world: Harness, clock: ManualClock
) -> None:
    oscar = world.cast.oncall_only
    root = file(world, world.cast.admin, impact="high", subject="Inbox is slow")

    press(world, oscar, Action.TAKE, root)
    clock.set(local(18, 15, 10))
    reply(world, root, oscar, "On it, looking at the inbox now.")
    world.standin.wait_for("chat.update", predicate=lambda c: "Responded" in shown(c.params))
    settle(world)

    request = stored(world, root)
    assert (request.assignee_id, request.first_responder_id) == (oscar, oscar)
    assert request.first_responded_at == local(18, 15, 10)
    assert world.standin.ephemerals(user=oscar) == []
    assert in_thread(run_until(world, clock, local(18, 17, 0)), root) == []  # no ping, no breach
    press(world, oscar, Action.RESOLVE, root)
    assert stored(world, root).status == "resolved"


# Critical always pages on-call


def test_a_critical_with_a_project_pages_oncall_and_is_not_assigned(
    world: Harness, clock: ManualClock
) -> None:
    first = file(world, world.cast.admin, project="Atlas migration", impact="low")
    press(world, world.cast.engineer, Action.TAKE, first)

    root = file(world, world.cast.admin, project="Atlas migration", impact="critical")

    assert root["channel"] == world.cast.oncall_channel
    assert f"<!subteam^{world.cast.oncall_group}>" in blocks_text(root)
    request = stored(world, root)
    assert (request.assignee_id, request.status) == (None, "new")
    oncall = f"<!subteam^{world.cast.oncall_group}>"
    [ping] = in_thread(run_until(world, clock, local(18, 15, 7, 30)), root)
    assert oncall in shown(ping) and "50%" in shown(ping)
    assert f"<@{world.cast.engineer}>" not in shown(ping)

    press(world, world.cast.oncall_only, Action.TAKE, root)
    [ping] = in_thread(run_until(world, clock, local(18, 15, 12)), root)
    assert "80%" in shown(ping)
    assert oncall in shown(ping) and f"<@{world.cast.oncall_only}>" in shown(ping)


# The resolution reminder goes to the assignee only


def test_nobody_is_reminded_of_an_unassigned_request_but_its_breach_escalates(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="high", subject="Reports are slow")
    reply(world, root, world.cast.engineer, "Checking the logs.")
    settle(world)

    # 80% of the 96 business hours (Monday 16:48) passes without a word to the group.
    assert run_until(world, clock, local(23, 16, 48)) == []
    assert run_until(world, clock, local(24, 11, 59)) == []
    posted = run_until(world, clock, local(24, 12, 0))

    [breach] = in_thread(posted, root)
    assert "passed its resolution target" in shown(breach)
    [escalation] = in_channel(posted, world.cast.escalation_channel)
    assert "Resolution target passed" in shown(escalation)
