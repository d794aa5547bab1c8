"""Thread replies: the first engineer reply stops the clock; one issue per conversation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.slack.ids import Action, Field
from tests.e2e.conftest import sqlite_only
from tests.e2e.flows import (
    all_roots,
    blocks_text,
    click,
    click_ephemeral,
    current,
    file,
    reply,
    settle,
    stored,
    stored_requests,
    submit_and_wait,
    thread_replies,
    updates_of,
)


def test_the_first_engineer_reply_stops_the_first_response_clock(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="critical")
    clock.advance(minutes=7)
    answered_at = clock.now()

    reply(world, root, world.cast.oncall, "Looking at it now, we see the outage too.")
    world.standin.wait_for("chat.update")
    settle(world)

    request = stored(world, root)
    assert request.first_responded_at == answered_at
    assert request.first_responder_id == world.cast.oncall
    shown = blocks_text(current(world, root))
    assert f"<!date^{int(answered_at.timestamp())}^" in shown and "Responded" in shown

    clock.advance(minutes=3)
    reply(world, root, world.cast.engineer, "Second engineer here.")
    settle(world)
    assert stored(world, root).first_responded_at == answered_at


@sqlite_only
@pytest.mark.parametrize(
    "author",
    [
        pytest.param({"user_id": "requester"}, id="requester"),
        pytest.param({"user_id": "U0OTHERBOT", "bot_id": "B0OTHER"}, id="another-bot"),
        pytest.param(
            {"user_id": "U0ERIN", "bot_id": "B0OTHER", "subtype": "bot_message"},
            id="bot-message-posing-as-an-engineer",
        ),
        pytest.param({"user_id": "UBOT", "bot_id": "B0STANDIN"}, id="the-app-itself"),
        pytest.param({"user_id": "UBOT"}, id="the-app-user-without-bot-id"),
    ],
)
def test_replies_by_the_requester_bots_or_the_app_never_stop_the_clock(
    world: Harness, author: dict[str, Any]
) -> None:
    root = file(world, world.cast.admin)
    fields = dict(author)
    user_id = fields.pop("user_id")
    if user_id == "requester":
        user_id = world.cast.admin

    reply(world, root, user_id, "Any news on this?", **fields)
    settle(world)

    assert stored(world, root).first_responded_at is None
    assert updates_of(world, root) == []
    assert world.standin.ephemerals() == []


def _note_for(world: Harness, user_id: str) -> dict[str, Any]:
    world.standin.wait_for("chat.postEphemeral")
    settle(world)
    [note] = world.standin.ephemerals(user=user_id)
    buttons = [e for b in note["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [Action.OPEN_FILING]
    return note


@sqlite_only
@pytest.mark.parametrize(
    "text",
    [
        "Thanks! Another issue: the chat widget is gone from our site.",
        "I have a separate issue with exports failing.",
        "Also, unrelated: our API keys stopped working.",
    ],
)
def test_a_requester_opening_another_issue_gets_a_note_and_a_prefilled_form(
    world: Harness, text: str
) -> None:
    root = file(world, world.cast.admin)

    reply(world, root, world.cast.admin, text)
    note = _note_for(world, world.cast.admin)

    assert note["thread_ts"] == root["ts"]
    assert "different issue" in note["text"]
    click_ephemeral(world, world.cast.admin, Action.OPEN_FILING, note)
    world.standin.wait_for("views.open", count=2)
    modal = world.standin.views_opened()[-1]
    description = next(b for b in modal["blocks"] if b.get("block_id") == Field.DESCRIPTION)
    assert description["element"]["initial_value"] == text
    assert stored(world, root).first_responded_at is None


def test_filing_from_the_note_opens_a_new_conversation_and_says_so_in_the_old_one(
    world: Harness,
) -> None:
    root = file(world, world.cast.admin, subject="Inbox is slow")
    reply(world, root, world.cast.admin, "Another issue: exports fail with a timeout.")
    note = _note_for(world, world.cast.admin)
    click_ephemeral(world, world.cast.admin, Action.OPEN_FILING, note)
    world.standin.wait_for("views.open", count=2)
    modal = world.standin.views_opened()[-1]

    new_root = submit_and_wait(
        world, world.cast.admin, modal, subject="Exports fail", description="Timeouts."
    )

    assert new_root["ts"] != root["ts"]
    assert len(all_roots(world)) == 2
    new = stored(world, new_root)
    assert new.subject == "Exports fail"
    [filed_note] = [m for m in thread_replies(world, root) if "Filed separately" in m["text"]]
    assert new.key in filed_note["text"]


def test_any_reply_to_a_resolved_request_gets_the_note(world: Harness) -> None:
    root = file(world, world.cast.admin)
    click(world, world.cast.engineer, Action.RESOLVE, root)
    world.standin.wait_for("chat.update")
    settle(world)

    reply(world, root, world.cast.admin, "It is broken again this morning.")
    note = _note_for(world, world.cast.admin)

    assert "resolved" in note["text"]
    assert json.loads(note["blocks"][1]["elements"][0]["value"])["t"].startswith("It is broken")


def test_the_desk_talking_in_its_channel_or_a_resolved_thread_gets_no_note(
    world: Harness,
) -> None:
    root = file(world, world.cast.admin)
    click(world, world.cast.engineer, Action.RESOLVE, root)
    world.standin.wait_for("chat.update")
    settle(world)

    reply(world, root, world.cast.engineer, "Closing note: fixed by the config rollback.")
    reply(world, root, world.cast.oncall, "Confirmed from on-call.")
    for who in (world.cast.engineer, world.cast.oncall):
        text = "Heads-up: deploy at 15:00."
        ts = world.standin.add_message(world.cast.support_channel, user=who, text=text)
        world.driver.message_event(
            channel_id=world.cast.support_channel, user_id=who, text=text, ts=ts
        )
    settle(world)

    assert world.standin.ephemerals(user=world.cast.engineer) == []
    assert world.standin.ephemerals(user=world.cast.oncall) == []


def test_a_top_level_message_in_the_support_channel_gets_the_note(world: Harness) -> None:
    text = "Hello, can someone help? Our reports are empty."
    ts = world.standin.add_message(world.cast.support_channel, user=world.cast.customer, text=text)
    world.driver.message_event(
        channel_id=world.cast.support_channel, user_id=world.cast.customer, text=text, ts=ts
    )
    note = _note_for(world, world.cast.customer)

    assert note["channel"] == world.cast.support_channel
    assert "/kustomer-support" in note["text"] or "/kustomer-support" in json.dumps(note["blocks"])
    assert stored_requests(world) == []

    click_ephemeral(world, world.cast.customer, Action.OPEN_FILING, note)
    world.standin.wait_for("views.open")
    modal = world.standin.views_opened()[-1]
    subject = next(b for b in modal["blocks"] if b.get("block_id") == Field.SUBJECT)
    assert subject["element"]["initial_value"] == text
    # A customer who may not use chat gets the email route's form.
    assert Field.IMPACT.value not in {b.get("block_id") for b in modal["blocks"]}


def test_filing_from_a_channel_note_answers_in_the_thread_of_that_message(world: Harness) -> None:
    text = "Reports are empty since the upgrade"
    ts = world.standin.add_message(world.cast.support_channel, user=world.cast.admin, text=text)
    world.driver.message_event(
        channel_id=world.cast.support_channel, user_id=world.cast.admin, text=text, ts=ts
    )
    note = _note_for(world, world.cast.admin)
    click_ephemeral(world, world.cast.admin, Action.OPEN_FILING, note)
    world.standin.wait_for("views.open")

    modal = world.standin.views_opened()[-1]
    subject = next(b for b in modal["blocks"] if b.get("block_id") == Field.SUBJECT)
    assert subject["element"]["initial_value"] == text
    root = submit_and_wait(world, world.cast.admin, modal, subject=text, description=text)

    request = stored(world, root)
    assert request.subject == text
    [answer] = world.standin.thread(world.cast.support_channel, ts)[1:]
    assert f"Filed separately as {request.key}" in answer["text"]


def test_the_requesters_reply_while_waiting_on_them_resumes_the_clock(
    world: Harness, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin)
    reply(world, root, world.cast.engineer, "Could you send us a HAR file?")
    settle(world)
    rewrites = len(updates_of(world, root))
    click(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, current(world, root))
    world.standin.wait_for("chat.update", count=rewrites + 1)
    settle(world)
    assert stored(world, root).status == "waiting_on_customer"
    rewrites = len(updates_of(world, root))

    clock.advance(hours=2)
    reply(world, root, world.cast.admin, "Here it is, recorded just now.")
    world.standin.wait_for(
        "chat.update", count=rewrites + 1, predicate=lambda c: c.params.get("ts") == root["ts"]
    )
    settle(world)

    request = stored(world, root)
    assert (request.status, request.resolution_paused_seconds) == ("in_progress", 2 * 3600)
    shown = blocks_text(current(world, root))
    assert "paused" not in shown and Action.CUSTOMER_REPLIED not in shown
    assert Action.WAIT_ON_CUSTOMER in shown
    assert "the resolution clock runs again" in thread_replies(world, root)[-1]["text"]
