"""Email intake: every new top-level message in the email channel becomes a Medium request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.devtools.harness import Harness
from tests.e2e.conftest import sqlite_only
from tests.e2e.flows import roots, settle, stored_requests

FORWARDED = "Our exports fail since Monday\nEvery CSV export ends with a timeout after a minute."


def _email(world: Harness, text: str = FORWARDED, **fields: Any) -> str:
    """A forwarded email lands in the intake channel (and Slack tells the app); returns its ts."""
    ts = fields.pop("ts", None) or world.standin.add_message(
        world.cast.email_channel, user=world.cast.customer, text=text
    )
    response = world.driver.message_event(
        channel_id=world.cast.email_channel,
        user_id=world.cast.customer,
        text=text,
        ts=ts,
        **fields,
    )
    assert response.status == 200
    return ts


def test_a_new_email_becomes_a_medium_request_with_its_own_conversation(
    world: Harness,
) -> None:
    ts = _email(world)
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == ts)
    settle(world)

    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    assert request.subject == "Our exports fail since Monday"
    assert request.description == FORWARDED
    [root] = roots(world, world.cast.support_channel)
    assert (request.slack_channel_id, request.thread_ts) == (world.cast.support_channel, root["ts"])
    assert "Our exports fail since Monday" in json.dumps(root["blocks"])
    [answer] = world.standin.thread(world.cast.email_channel, ts)[1:]
    assert request.key in answer["text"]
    assert root["ts"].replace(".", "") in answer["text"]  # a link to the conversation


IGNORED = [
    pytest.param({"thread_ts": "1763400000.000100"}, id="thread-reply"),
    pytest.param({"subtype": "message_changed"}, id="edit"),
    pytest.param({"subtype": "channel_join"}, id="join"),
    pytest.param({"subtype": "message_deleted"}, id="deletion"),
    pytest.param({"user_id": "UBOT", "bot_id": "B0STANDIN"}, id="the-app-itself"),
]


@sqlite_only
@pytest.mark.parametrize("fields", IGNORED)
def test_replies_edits_joins_and_own_messages_are_not_requests(
    world: Harness, fields: dict[str, Any]
) -> None:
    user_id = fields.pop("user_id", world.cast.customer)
    response = world.driver.message_event(
        channel_id=world.cast.email_channel, user_id=user_id, text=FORWARDED, **fields
    )
    assert response.status == 200
    settle(world)

    assert stored_requests(world) == []
    assert world.standin.calls_to("chat.postMessage") == []


def test_a_retried_event_and_a_second_delivery_create_nothing_more(world: Harness) -> None:
    ts = _email(world, event_id="Ev0EMAIL1")
    world.standin.wait_for("chat.postMessage", count=2)
    settle(world)

    _email(world, ts=ts, event_id="Ev0EMAIL1", retry_num=1, retry_reason="http_timeout")
    _email(world, ts=ts, event_id="Ev0EMAIL2")  # same message, delivered again
    settle(world)

    assert len(stored_requests(world)) == 1
    assert len(world.standin.calls_to("chat.postMessage")) == 2  # the root and the answer
