"""What the app says in a customer's shared channel, and the desk's notice about unmapped ones:
within Slack's limits, customer-facing only, and user text never pings."""

from __future__ import annotations

import re

import pytest
from surface_checks import (
    HOSTILE,
    all_text,
    assert_no_live_tokens,
    assert_valid_message,
    assert_valid_view,
    elements_by_action,
    make_request,
    walk,
)

from bot.domain.accounts import new_account
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.shared_prompts import PickRefusal, offer_for
from bot.slack.ids import Action, Field
from bot.slack.surfaces.modals import filing_modal
from bot.slack.surfaces.shared_prompts import (
    customer_thread_opener,
    filed_answer,
    help_pin,
    impact_prompt,
    lapsed_prompt,
    prompt_refusal,
)
from bot.slack.surfaces.unmapped_channels import unmapped_notice

ACME = new_account(name="Acme", tier="enterprise", channels=["C0ACME"], admins=["U0ADA"])
PHRASES = {
    Priority.LOW: "first response within 4 hours",
    Priority.MEDIUM: "first response within 2 hours",
    Priority.HIGH: "first response within 1 hour",
    Priority.CRITICAL: "first response within 15 minutes, 24/7",
}
INTERNAL = re.compile(r"<[@#!]|on-call channel|breached|escalat|subteam|assignee", re.IGNORECASE)


def _buttons(message_blocks: list[dict]) -> list[dict]:
    return [node for node in walk(message_blocks) if node.get("type") == "button"]


def test_the_prompt_offers_an_admin_each_impact_with_its_target() -> None:
    message = impact_prompt(7, offer_for(ACME, "U0ADA"), PHRASES)

    assert_valid_message(message)
    text = all_text(message.blocks)
    for priority, phrase in PHRASES.items():
        assert f"*{priority.label}*: {phrase}" in text
    picks = [b for b in _buttons(message.blocks) if b["action_id"].startswith(Action.PICK_IMPACT)]
    assert [b["value"] for b in picks] == [f"7:{p.value}" for p in Priority]
    assert len({b["action_id"] for b in picks}) == 4  # unique within their block
    details = elements_by_action(message.blocks)[Action.FILE_WITH_DETAILS]
    assert details["value"] == "prompt:7" and details["text"]["text"] == "File with details"
    assert "Critical* means your team cannot work" in text
    assert not INTERNAL.search(text)


def test_what_was_filed_and_why_at_medium_by_email() -> None:
    member = offer_for(ACME, "U0BOB")
    professional = offer_for(new_account(name="P", tier="professional", channels=["C0PRO"]), "U1")
    email = make_request(priority="medium", intake_channel="email", subject=HOSTILE)

    for offer, why in ((member, "owners and administrators"), (professional, "Professional")):
        message = filed_answer(email, offer)
        assert_valid_message(message)
        assert "KS-1042" in message.text and why in all_text(message.blocks)
        assert "email route" in all_text(message.blocks)
        assert _buttons(message.blocks) == []
    chat = filed_answer(make_request(priority="critical"), offer_for(ACME, "U0ADA"))
    assert "*Critical*" in all_text(chat.blocks) and "email" not in all_text(chat.blocks)


def test_a_lapsed_prompt_keeps_no_choice_and_the_refusals_are_short() -> None:
    lapsed = lapsed_prompt()
    assert_valid_message(lapsed)
    assert _buttons(lapsed.blocks) == []
    for refusal in PickRefusal:
        note = prompt_refusal(refusal, key="KS-1042")
        assert_valid_message(note)
        assert "*" not in note.text
    assert "KS-1042" in prompt_refusal(PickRefusal.FILED, key="KS-1042").text


def test_the_pinned_help_message_opens_the_modal() -> None:
    message = help_pin()

    assert_valid_message(message)
    assert message.text == "Need help? File a support request."
    [button] = _buttons(message.blocks)
    assert (button["action_id"], button["value"]) == (Action.FILE_WITH_DETAILS, "pin")


def test_a_requests_opening_post_never_pings_from_its_subject() -> None:
    message = customer_thread_opener(subject=HOSTILE, requester_id="U0ADA", key="KS-1042")

    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    assert "<@U0ADA>" in all_text(message.blocks) and "*KS-1042*" in all_text(message.blocks)


@pytest.mark.parametrize("team", ["T0ACME", None, "<!channel>"])
def test_the_unmapped_notice_names_the_channel_and_the_command(team: str | None) -> None:
    message = unmapped_notice("C0STRAY", team)

    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "<#C0STRAY>" in text and "python -m bot accounts add" in text
    assert ("organisation `T0ACME`" in text) is (team == "T0ACME")
    assert "<!channel>" not in text
    hostile = unmapped_notice("<!here>", None)
    assert "<!here>" not in all_text(hostile.blocks) + hostile.text


def test_staff_filing_on_behalf_name_the_customer_in_the_modal() -> None:
    view = filing_modal(route=IntakeChannel.CHAT, impact_phrases=PHRASES, ask_requester=True)

    assert_valid_view(view)
    [picker] = [b for b in view["blocks"] if b.get("block_id") == Field.REQUESTER]
    assert picker["element"]["type"] == "users_select" and picker["optional"] is True
    plain = filing_modal(route=IntakeChannel.CHAT, impact_phrases=PHRASES)
    assert Field.REQUESTER.value not in [b.get("block_id") for b in plain["blocks"]]
