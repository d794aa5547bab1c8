"""The root message's buttons: every change is stored and the root is rewritten in place."""

from __future__ import annotations

import pendulum
import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.domain.requests import Priority
from bot.slack.ids import Action
from tests.e2e.conftest import sqlite_only
from tests.e2e.flows import (
    blocks_text,
    change_priority,
    click,
    current,
    file,
    newest_root,
    settle,
    stored,
    submit_and_wait,
    thread_replies,
    updates_of,
)


def _act(world: Harness, user_id: str, action: str, root: dict[str, object]) -> None:
    """Press a button and wait for the root to be rewritten."""
    before = len(updates_of(world, root))
    click(world, user_id, action, root)
    world.standin.wait_for(
        "chat.update", count=before + 1, predicate=lambda c: c.params.get("ts") == root["ts"]
    )
    settle(world)


def _buttons(message: dict[str, object]) -> list[str]:
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_an_engineer_takes_the_request(world: Harness) -> None:
    root = file(world, world.cast.admin)

    _act(world, world.cast.engineer, Action.TAKE, root)

    request = stored(world, root)
    assert (request.assignee_id, request.status) == (world.cast.engineer, "in_progress")
    shown = blocks_text(current(world, root))
    assert f"<@{world.cast.engineer}>" in shown and "In progress" in shown
    [note] = thread_replies(world, root)
    assert "took this request" in note["text"]


def test_only_support_engineers_may_take_a_request(world: Harness) -> None:
    root = file(world, world.cast.admin)

    click(world, world.cast.customer, Action.TAKE, root)
    world.standin.wait_for("chat.postEphemeral")
    settle(world)

    [refusal] = world.standin.ephemerals(user=world.cast.customer)
    assert "Only the support or on-call team" in refusal["text"]
    assert refusal["channel"] == world.cast.support_channel
    assert stored(world, root).assignee_id is None
    assert updates_of(world, root) == []


def test_changing_priority_reschedules_from_creation(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin, impact="high")
    created = clock.now()
    clock.advance(minutes=20)

    change_priority(world, world.cast.engineer, root, "low")
    world.standin.wait_for("chat.update")
    settle(world)

    request = stored(world, root)
    assert request.priority == "low"
    due = pendulum.instance(request.first_response_due_at)
    assert due == world.runtime.desk.policy.first_response_due(Priority.LOW, created)
    assert due == created.add(hours=4)
    shown = blocks_text(current(world, root))
    assert f"<!date^{int(due.timestamp())}^" in shown
    assert [u.params["ts"] for u in world.standin.calls_to("chat.update")] == [root["ts"]]
    assert "from High to Low" in thread_replies(world, root)[-1]["text"]


def test_raising_to_critical_moves_the_conversation_to_oncall(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="medium", subject="Logins fail for everyone")
    created = clock.now()
    clock.advance(minutes=5)

    # Critical is the desk's call: a requester may not raise to it (tests/e2e/test_desk_policy.py).
    change_priority(world, world.cast.oncall, root, "critical")
    world.standin.wait_for(
        "chat.postMessage", predicate=lambda c: c.params.get("channel") == world.cast.oncall_channel
    )
    settle(world)

    moved = newest_root(world)
    assert moved["channel"] == world.cast.oncall_channel
    shown = blocks_text(moved)
    assert f"<!subteam^{world.cast.oncall_group}>" in shown
    assert "Logins fail for everyone" in shown
    request = stored(world, root)
    assert (request.slack_channel_id, request.thread_ts) == (world.cast.oncall_channel, moved["ts"])
    assert pendulum.instance(request.first_response_due_at) == created.add(minutes=15)
    notes = " ".join(m["text"] for m in thread_replies(world, root))
    assert "continues in" in notes and world.cast.oncall_channel in notes


def test_waiting_on_customer_and_customer_replied(world: Harness, clock: ManualClock) -> None:
    root = file(world, world.cast.admin)

    _act(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, root)
    waiting = current(world, root)
    assert stored(world, root).status == "waiting_on_customer"
    assert "waiting on customer" in blocks_text(waiting).lower()
    assert Action.CUSTOMER_REPLIED in _buttons(waiting)

    clock.advance(hours=2)
    _act(world, world.cast.admin, Action.CUSTOMER_REPLIED, waiting)
    request = stored(world, root)
    assert request.status == "in_progress"
    assert request.resolution_paused_seconds == 2 * 3600
    assert Action.WAIT_ON_CUSTOMER in _buttons(current(world, root))


def test_escalating_to_development(world: Harness) -> None:
    root = file(world, world.cast.admin)

    _act(world, world.cast.engineer, Action.ESCALATE_DEVELOPMENT, root)

    request = stored(world, root)
    assert request.status == "escalated_to_development"
    assert request.escalated_to_development_at == world.clock.now()
    after = current(world, root)
    assert "escalated to Development" in blocks_text(after)
    assert Action.ESCALATE_DEVELOPMENT not in _buttons(after)


def test_a_customer_reply_after_escalating_to_development_goes_back_to_development(
    world: Harness,
) -> None:
    root = file(world, world.cast.admin)
    _act(world, world.cast.engineer, Action.ESCALATE_DEVELOPMENT, root)
    _act(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, current(world, root))

    _act(world, world.cast.admin, Action.CUSTOMER_REPLIED, current(world, root))

    assert stored(world, root).status == "escalated_to_development"
    assert "escalated to Development" in blocks_text(current(world, root))
    notes = [m["text"] for m in thread_replies(world, root)]
    assert "back with Development" in notes[-1]


def test_escalating_to_leadership_posts_once_with_a_link(world: Harness) -> None:
    root = file(world, world.cast.admin, subject="Data export leaks other tenants")

    _act(world, world.cast.admin, Action.ESCALATE_LEADERSHIP, root)
    click(world, world.cast.admin, Action.ESCALATE_LEADERSHIP, root)  # a double click
    settle(world)

    [post] = world.standin.messages(world.cast.escalation_channel)
    shown = blocks_text(post)
    assert "Data export leaks other tenants" in shown
    assert root["ts"].replace(".", "") in shown  # the permalink to the conversation
    assert stored(world, root).escalated_to_leadership_at is not None
    assert Action.ESCALATE_LEADERSHIP not in _buttons(current(world, root))


def test_resolving_closes_the_request(world: Harness) -> None:
    root = file(world, world.cast.admin)

    _act(world, world.cast.engineer, Action.RESOLVE, root)

    request = stored(world, root)
    assert (request.status, request.resolved_at) == ("resolved", world.clock.now())
    after = current(world, root)
    assert "Resolved" in blocks_text(after)
    assert _buttons(after) == [Action.REPORT_ANOTHER]


@sqlite_only
@pytest.mark.parametrize("who", ["admin", "engineer"])
def test_report_another_issue_opens_the_filing_modal(world: Harness, who: str) -> None:
    root = file(world, world.cast.admin)

    click(world, getattr(world.cast, who), Action.REPORT_ANOTHER, root)
    world.standin.wait_for("views.open", count=2)

    assert world.standin.views_opened()[-1]["callback_id"] == "file_request"


def test_every_change_rewrites_the_root_in_place(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="low")

    for user, action in [
        (world.cast.engineer, Action.TAKE),
        (world.cast.engineer, Action.WAIT_ON_CUSTOMER),
        (world.cast.admin, Action.CUSTOMER_REPLIED),
        (world.cast.engineer, Action.ESCALATE_DEVELOPMENT),
        (world.cast.admin, Action.ESCALATE_LEADERSHIP),
        (world.cast.engineer, Action.RESOLVE),
    ]:
        _act(world, user, action, current(world, root))

    assert len(updates_of(world, root)) == 6
    assert {u.params["ts"] for u in world.standin.calls_to("chat.update")} == {root["ts"]}
    assert (
        len(
            [
                m
                for m in world.standin.messages(world.cast.support_channel)
                if not m.get("thread_ts")
            ]
        )
        == 1
    )


def test_a_request_reported_from_a_conversation_is_announced_there(world: Harness) -> None:
    root = file(world, world.cast.admin, subject="Inbox is slow")
    click(world, world.cast.admin, Action.REPORT_ANOTHER, root)
    world.standin.wait_for("views.open", count=2)

    new_root = submit_and_wait(
        world, world.cast.admin, world.standin.views_opened()[-1], subject="Exports fail"
    )

    assert new_root["ts"] != root["ts"]
    new = stored(world, new_root)
    [note] = [m for m in thread_replies(world, root) if "Filed separately" in m["text"]]
    assert new.key in note["text"]
    assert stored(world, root).status == "new"


@pytest.mark.parametrize("action", [Action.CHANGE_PRIORITY, Action.RESOLVE])
def test_someone_else_may_not_change_a_customers_request(world: Harness, action: str) -> None:
    root = file(world, world.cast.admin, impact="high")
    _act(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, root)
    updates = len(updates_of(world, root))
    waiting = current(world, root)

    if action == Action.CHANGE_PRIORITY:
        change_priority(world, world.cast.customer, waiting, "critical")
    else:
        click(world, world.cast.customer, action, waiting)
    world.standin.wait_for("chat.postEphemeral")
    settle(world)

    [refusal] = world.standin.ephemerals(user=world.cast.customer)
    assert "Only the requester or the support or on-call team" in refusal["text"]
    request = stored(world, root)
    assert (request.priority, request.status) == ("high", "waiting_on_customer")
    # A refused choice of impact redraws the root, so the menu shows High again.
    redrawn = 1 if action == Action.CHANGE_PRIORITY else 0
    assert len(updates_of(world, root)) == updates + redrawn
    assert blocks_text(current(world, root)) == blocks_text(waiting)
