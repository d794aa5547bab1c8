"""Notes: file it as a new request, use the email route, what just changed."""

from __future__ import annotations

import pytest
from surface_checks import (
    HOSTILE,
    all_text,
    assert_no_live_tokens,
    assert_valid_message,
    elements_by_action,
    make_request,
)

from bot.slack.forms import read_prefill
from bot.slack.ids import Action, Block
from bot.slack.surfaces.requester_notes import (
    another_issue_note,
    conversation_opened,
    email_route_note,
    status_change_note,
)


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("another_issue", "different issue"),
        ("resolved", "resolved"),
        ("not_a_request", "/kustomer-support"),
    ],
)
def test_another_issue_note(reason: str, words: str) -> None:
    message = another_issue_note(reason=reason, prefill_text="Exports fail since Monday")
    assert_valid_message(message)
    assert words in all_text(message.blocks)
    assert message.blocks[0]["block_id"] == Block.FILING_NOTE
    button = elements_by_action(message.blocks)[Action.OPEN_FILING]
    assert read_prefill(button["value"]) == "Exports fail since Monday"


def test_another_issue_note_carries_hostile_text_safely() -> None:
    message = another_issue_note(reason="another_issue", prefill_text=HOSTILE)
    assert_no_live_tokens(message.blocks)
    button = elements_by_action(message.blocks)[Action.OPEN_FILING]
    assert read_prefill(button["value"]) == HOSTILE


def test_another_issue_note_with_a_huge_message() -> None:
    message = another_issue_note(reason="resolved", prefill_text="<!channel> " * 5000)
    assert_valid_message(message)
    button = elements_by_action(message.blocks)[Action.OPEN_FILING]
    assert len(button["value"]) <= 2000
    assert read_prefill(button["value"]).startswith("<!channel> ")


def test_another_issue_note_refuses_unknown_reasons() -> None:
    with pytest.raises(ValueError, match="unknown reason"):
        another_issue_note(reason="because", prefill_text="")


@pytest.mark.parametrize(
    ("reason", "words"), [("role", "owners and administrators"), ("plan", "Professional plan")]
)
def test_email_route_note(reason: str, words: str) -> None:
    message = email_route_note(support_email="support@kustomer.com", reason=reason)
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert words in text
    assert "<mailto:support@kustomer.com|support@kustomer.com>" in text
    assert "*Medium*" in text
    button = elements_by_action(message.blocks)[Action.OPEN_EMAIL_FILING]
    assert button["text"]["text"] == "File by email route"


def test_email_route_note_escapes_an_odd_address() -> None:
    message = email_route_note(support_email="<!channel>", reason="role")
    assert_no_live_tokens(message.blocks)
    assert "mailto" not in all_text(message.blocks)


def test_email_route_note_refuses_unknown_reasons() -> None:
    with pytest.raises(ValueError, match="unknown reason"):
        email_route_note(support_email="a@b.c", reason="mood")


def test_status_change_note_keeps_the_apps_own_mentions() -> None:
    message = status_change_note(make_request(), text="<@U0ENGINEER> took this request")
    assert_valid_message(message)
    assert message.blocks[0]["text"]["text"] == "<@U0ENGINEER> took this request"
    assert message.text == "KS-1042: <@U0ENGINEER> took this request"


def test_status_change_note_fits_any_text() -> None:
    assert_valid_message(status_change_note(make_request(), text="x" * 10_000))
    assert_valid_message(status_change_note(make_request(), text="   "))


def test_conversation_opened_links_the_conversation() -> None:
    link = "https://acme.slack.com/archives/C0SUPPORT/p1700000000000100"
    message = conversation_opened(make_request(), permalink=link)
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*KS-1042*" in text and "is open in <#C0SUPPORT>" in text
    assert "Inbox does not load" in text
    assert elements_by_action(message.blocks)[Action.OPEN_CONVERSATION]["url"] == link
    assert message.text == "The conversation of your request KS-1042 is open."


@pytest.mark.parametrize("permalink", [None, "", "javascript:alert(1)"])
def test_conversation_opened_without_a_usable_link(permalink: str | None) -> None:
    message = conversation_opened(make_request(), permalink=permalink)
    assert_valid_message(message)
    assert [b["type"] for b in message.blocks] == ["section"]


def test_conversation_opened_escapes() -> None:
    message = conversation_opened(
        make_request(subject=HOSTILE, slack_channel_id="<!channel>"), permalink=None
    )
    assert_no_live_tokens(message.blocks)
    assert_valid_message(message)
