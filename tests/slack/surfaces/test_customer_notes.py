"""The customer's notes in their shared-channel thread, and the triage card's customer lines."""

from __future__ import annotations

import re

import pytest
from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_no_relative_time,
    assert_valid_message,
    block,
    make_request,
)

from bot.domain.accounts import Account, PlanTier
from bot.domain.changes import (
    ChangeKind,
    ChangeNote,
    CustomerNote,
    CustomerNoteKind,
    for_customer,
)
from bot.domain.model import Request
from bot.slack.ids import Block
from bot.slack.surfaces.blocks import Message, when
from bot.slack.surfaces.customer_notes import customer_note
from bot.slack.surfaces.messages import filing_confirmation, request_root

SHARED = "C0ACMESHARED"
THREAD_TS = "1700000500.000100"
LINK = "https://acme.slack.com/archives/C0ACMESHARED/p1700000500000100"
# Nothing internal in a shared channel: no mention of a person, group or channel, no
# special broadcast, and none of the desk's internal words.
INTERNAL = re.compile(
    r"<[@#!]|on-call|oncall|breach|escalat|support channel|subteam|ping", re.IGNORECASE
)


def _customer_request(**overrides: object) -> Request:
    values: dict[str, object] = {
        "account_id": 7,
        "customer_channel_id": SHARED,
        "customer_thread_ts": THREAD_TS,
    }
    values.update(overrides)
    return make_request(**values)


def _checked(message: Message) -> str:
    assert_valid_message(message)
    assert_no_relative_time(message)
    text = message.text + "\n" + all_text(message.blocks)
    without_dates = re.sub(r"<!date\^[^>]*>", "", text)
    assert INTERNAL.search(without_dates) is None, text
    return text


@pytest.mark.parametrize("kind", list(CustomerNoteKind))
@pytest.mark.parametrize("priority", ["low", "critical"])
def test_every_note_is_short_valid_and_says_nothing_internal(
    kind: CustomerNoteKind, priority: str
) -> None:
    request = _customer_request(priority=priority, assignee_id="U0ERIN")

    text = _checked(customer_note(request, CustomerNote(kind, actor_id="U0ERIN"), name="Erin"))

    assert request.key in text
    assert len(text) < 600


def test_the_filed_note_gives_the_key_impact_and_due_time_as_a_date_token() -> None:
    request = _customer_request(priority="high")

    text = _checked(customer_note(request, CustomerNote(CustomerNoteKind.FILED)))

    assert "*KS-1042*" in text and "High impact" in text
    assert f"First response due {when(NOW.add(hours=1))}" in text
    assert re.search(r"<!date\^\d+\^[^|]+\|[^>]+>", text)
    assert "Critical" not in text


def test_a_critical_filing_says_the_24_7_team_is_alerted_without_naming_a_group() -> None:
    request = _customer_request(priority="critical")

    text = _checked(customer_note(request, CustomerNote(CustomerNoteKind.FILED)))

    assert "our 24/7 team has been alerted" in text


def test_taken_names_the_person_by_name_and_never_by_id() -> None:
    request = _customer_request(assignee_id="U0ERIN")
    note = CustomerNote(CustomerNoteKind.TAKEN, actor_id="U0ERIN")

    named = _checked(customer_note(request, note, name="Erin"))
    unnamed = _checked(customer_note(request, note, name=None))

    assert "Erin from our support team is working on *KS-1042*" in named
    assert "Our support team is working on *KS-1042*" in unnamed
    assert "U0ERIN" not in named + unnamed


def test_a_hostile_display_name_cannot_ping_anyone() -> None:
    note = CustomerNote(CustomerNoteKind.TAKEN, actor_id="U0ERIN")

    message = customer_note(_customer_request(), note, name=HOSTILE * 5)

    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)


def test_waiting_and_resolved_tell_the_customer_what_to_do_here() -> None:
    request = _customer_request()

    waiting = _checked(customer_note(request, CustomerNote(CustomerNoteKind.WAITING)))
    resolved = _checked(customer_note(request, CustomerNote(CustomerNoteKind.RESOLVED)))

    assert "waiting on you" in waiting and "reply in this thread" in waiting
    assert "is resolved" in resolved and "new message in this channel" in resolved


@pytest.mark.parametrize(
    ("kind", "told"),
    [
        (ChangeKind.TAKEN, CustomerNoteKind.TAKEN),
        (ChangeKind.WAITING, CustomerNoteKind.WAITING),
        (ChangeKind.RESOLVED, CustomerNoteKind.RESOLVED),
        (ChangeKind.PRIORITY_CHANGED, None),
        (ChangeKind.RESUMED, None),
        (ChangeKind.ESCALATED_DEVELOPMENT, None),
        (ChangeKind.ESCALATED_LEADERSHIP, None),
    ],
)
def test_only_some_changes_reach_the_customer(
    kind: ChangeKind, told: CustomerNoteKind | None
) -> None:
    note = for_customer(ChangeNote(kind, actor_id="U0ERIN"))

    assert (note.kind if note else None) is told
    assert note is None or note.actor_id == "U0ERIN"


ACME = Account(name="Acme", tier=PlanTier.ENTERPRISE, channel_ids=(SHARED,), id=7)


def _summary(message: Message) -> dict[str, str]:
    fields = block(message.blocks, Block.REQUEST_SUMMARY)["fields"]
    return dict(f["text"].split("\n", 1) for f in fields)


def test_the_triage_card_shows_the_account_and_links_the_customer_thread() -> None:
    message = request_root(_customer_request(project="Rollout"), account=ACME, customer_link=LINK)

    assert_valid_message(message)
    assert _summary(message)["*Account*"] == "Acme (Enterprise)"
    text = all_text(message.blocks)
    assert f"<{LINK}|the customer's thread> in <#{SHARED}>: answer there" in text
    assert "Replies here stay internal" in text


def test_without_a_permalink_the_card_names_the_shared_channel() -> None:
    message = request_root(_customer_request(), account=ACME, customer_link=None)

    assert_valid_message(message)
    assert f"the customer's thread in <#{SHARED}>" in all_text(message.blocks)


def test_a_hostile_account_name_is_escaped_on_the_card() -> None:
    hostile = Account(name=HOSTILE[:120], tier=PlanTier.ULTIMATE, channel_ids=(SHARED,))

    message = request_root(_customer_request(), account=hostile)

    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)


def test_a_request_without_an_account_or_customer_thread_shows_neither() -> None:
    message = request_root(make_request())

    assert "*Account*" not in _summary(message)
    assert "customer's thread" not in all_text(message.blocks)


def test_the_filing_confirmation_of_a_customer_thread_points_to_that_thread() -> None:
    message = filing_confirmation(_customer_request(), permalink=LINK)

    assert_valid_message(message)
    text = all_text(message.blocks)
    assert f"We will answer in your thread in <#{SHARED}>" in text
    assert "C0SUPPORT" not in text
