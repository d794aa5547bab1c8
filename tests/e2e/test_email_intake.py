"""Email intake: every new top-level message in the email channel becomes a Medium request.

Slack's email integration posts a forwarded email as a message with an email file and,
mostly, no text; a person may post plain text. Whatever arrives is filed, never dropped.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.domain.model import Request
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


SENDER = ("dana.reyes@acme.example", "Dana Reyes")
EMAIL_BODY = "Hello,\n\nEvery CSV export ends with a timeout after a minute.\n\nDana"


def _answered(world: Harness, ts: str) -> Request:
    """Wait for the intake's answer under the message at `ts`; the one request it filed."""
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == ts)
    settle(world)
    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    [answer] = world.standin.thread(world.cast.email_channel, ts)[1:]
    assert request.key in answer["text"]
    return request


@pytest.mark.parametrize("subtype", ["file_share", None], ids=["file-share", "no-subtype"])
def test_a_forwarded_email_files_its_subject_text_and_sender(
    world: Harness, subtype: str | None
) -> None:
    message = world.standin.add_email(
        world.cast.email_channel,
        subject="Exports time out",
        sender=SENDER,
        plain_text=EMAIL_BODY,
        subtype=subtype,
    )
    assert message["text"] == ""
    assert world.driver.posted(message).status == 200

    request = _answered(world, message["ts"])
    assert request.subject == "Exports time out"
    assert request.description == EMAIL_BODY.strip()
    assert (request.requester_name, request.requester_contact) == SENDER[::-1]
    [root] = roots(world, world.cast.support_channel)
    summary = json.dumps(root["blocks"])
    assert "mailto:dana.reyes@acme.example" in summary
    assert "Dana Reyes" in summary
    asked = [call.params.get("message_ts") for call in world.standin.calls_to("chat.getPermalink")]
    assert message["ts"] not in asked  # a readable email needs no link to itself


@pytest.mark.parametrize(
    "email",
    [
        pytest.param(
            {"subject": None, "sender": SENDER, "plain_text": None}, id="no-subject-no-body"
        ),
        pytest.param({"subject": "  ", "sender": None, "plain_text": "\n \n"}, id="blank"),
    ],
)
def test_an_email_without_subject_or_text_is_filed_as_unreadable_with_its_link(
    world: Harness, email: dict[str, Any]
) -> None:
    message = world.standin.add_email(world.cast.email_channel, **email)
    assert world.driver.posted(message).status == 200

    request = _answered(world, message["ts"])
    assert request.subject == "Unreadable email"
    link = f"https://standin.slack.test/archives/{world.cast.email_channel}/p"
    assert f"{link}{message['ts'].replace('.', '')}" in request.description
    assert request.requester_contact == (SENDER[0] if email["sender"] else None)


def test_an_empty_message_is_not_dropped_either(world: Harness) -> None:
    ts = _email(world, text="")

    request = _answered(world, ts)
    assert request.subject == "Unreadable email"
    assert ts.replace(".", "") in request.description
    assert request.requester_contact is None


def test_a_huge_email_is_cut_to_fit_and_links_to_the_whole(world: Harness) -> None:
    body = "The export log follows.\n" + "timeout at row 123456; retrying\n" * 5000
    message = world.standin.add_email(
        world.cast.email_channel, subject="S" * 400, sender=SENDER, plain_text=body
    )
    assert world.driver.posted(message).status == 200

    request = _answered(world, message["ts"])
    assert len(request.subject) == 150
    assert len(request.description) <= 3000
    assert request.description.startswith("The export log follows.")
    assert request.description.endswith(message["ts"].replace(".", ""))
    # Every message the app sent is checked against Slack's limits when the test ends.


def test_a_retried_email_event_files_once(world: Harness) -> None:
    message = world.standin.add_email(
        world.cast.email_channel, subject="Exports time out", sender=SENDER, plain_text=EMAIL_BODY
    )
    world.driver.posted(message, event_id="Ev0EMAILF1")
    _answered(world, message["ts"])

    world.driver.posted(message, event_id="Ev0EMAILF1", retry_num=1, retry_reason="http_timeout")
    world.driver.posted(message, event_id="Ev0EMAILF1", retry_num=2, retry_reason="http_error")
    world.driver.posted(message, event_id="Ev0EMAILF2")  # the same message, delivered again
    settle(world)

    assert len(stored_requests(world)) == 1
    assert len(world.standin.calls_to("chat.postMessage")) == 2  # the root and the answer


IGNORED = [
    pytest.param({"thread_ts": "1763400000.000100"}, id="thread-reply"),
    pytest.param({"subtype": "message_changed"}, id="edit"),
    pytest.param({"subtype": "channel_join"}, id="join"),
    pytest.param({"subtype": "message_deleted"}, id="deletion"),
    pytest.param({"user_id": "UBOT", "bot_id": "B0STANDIN"}, id="the-app-itself"),
    pytest.param(
        {"user_id": "UBOT", "bot_id": "B0STANDIN", "subtype": "bot_message"},
        id="the-app-as-a-bot-message",
    ),
    pytest.param(
        {"user_id": "UBOT", "bot_id": "B0STANDIN", "subtype": "file_share"},
        id="the-app-sharing-a-file",
    ),
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
