"""Reading Slack's email-to-channel posts into a draft: every shape files, none raises."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from bot.devtools.limits import check_message
from bot.devtools.standin_email import EMAIL_BOT_ID, EMAIL_USER, email_file, post_email
from bot.devtools.standin_state import Workspace
from bot.domain.email_intake import UNREADABLE_SUBJECT
from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority
from bot.services.filing import RequestDraft
from bot.slack.email_intake import READ_MAX, email_draft, read_email
from bot.slack.forms import DESCRIPTION_MAX, SUBJECT_MAX
from bot.slack.ids import Block
from bot.slack.surfaces.messages import request_root

LINK = "https://acme.slack.com/archives/C0EMAIL/p1763400000000100"
FILED_AT = pendulum.datetime(2026, 11, 18, 20, 0)
BODY = "Hello,\n\nEvery CSV export ends with a timeout after a minute.\n\nDana"


def _posted(**email: Any) -> dict[str, Any]:
    """A message as Slack's email integration posts it (the stand-in's model of it)."""
    ws = Workspace(team_id="T0001", bot_user_id="UBOT", bot_id="B0STANDIN")
    fields: dict[str, Any] = {
        "subject": "Exports time out",
        "sender": ("dana@acme.example", "Dana Reyes"),
        "plain_text": BODY,
        **email,
    }
    return post_email(ws, "C0EMAIL", file=email_file(ws, **fields))


def _draft(event: dict[str, Any], link: str | None = LINK) -> RequestDraft:
    return email_draft(event, team_id="T0001", link=lambda: link)


def _with_file(**file: Any) -> dict[str, Any]:
    """A message whose only file is this (possibly malformed) email file."""
    return {"type": "message", "text": "", "ts": "1.2", "files": [{"filetype": "email", **file}]}


def test_an_email_post_becomes_a_medium_email_draft() -> None:
    event = _posted()
    assert (event["user"], event["bot_id"], event["subtype"]) == (
        EMAIL_USER,
        EMAIL_BOT_ID,
        "file_share",
    )

    draft = _draft(event)

    assert draft.subject == "Exports time out"
    assert draft.description == BODY
    assert (draft.requester_name, draft.requester_contact) == ("Dana Reyes", "dana@acme.example")
    assert (draft.priority, draft.intake_channel) == (Priority.MEDIUM, IntakeChannel.EMAIL)
    assert (draft.team_id, draft.requester_id) == ("T0001", EMAIL_USER)


def test_the_preview_serves_when_there_is_no_plain_text() -> None:
    event = _with_file(subject="S", preview_plain_text="The start", has_more=True)

    email = read_email(event)

    assert (email.body, email.partial) == ("The start", True)
    assert _draft(event).description.endswith(LINK)


def test_a_whole_plain_text_is_not_partial_even_when_the_preview_has_more() -> None:
    email = read_email(_posted(plain_text="x" * 1000))

    assert (len(email.body), email.partial) == (1000, False)


def test_the_message_text_is_unescaped_and_kept_beside_the_email() -> None:
    event = {**_posted(), "text": "FYI &lt;urgent&gt; &amp; blocking"}

    assert _draft(event).description == f"FYI <urgent> & blocking\n\n{BODY}"


def test_the_sender_address_may_come_from_original() -> None:
    event = _with_file(subject="S", **{"from": [{"original": "Dana Reyes <dana@acme.example>"}]})

    draft = _draft(event)

    assert (draft.requester_name, draft.requester_contact) == ("Dana Reyes", "dana@acme.example")


MALFORMED = {
    "files-not-a-list": {"text": "", "ts": "1.2", "files": {"filetype": "email"}},
    "files-null": {"text": None, "ts": "1.2", "files": None},
    "file-not-a-dict": {"text": "", "ts": "1.2", "files": ["email", 3, None]},
    "not-an-email-file": {"text": "", "ts": "1.2", "files": [{"filetype": "pdf", "title": "x"}]},
    "from-missing": _with_file(),
    "from-not-a-list": _with_file(**{"from": "dana@acme.example"}),
    "from-entries-odd": _with_file(**{"from": [None, 7, {"address": 42, "name": ["x"]}]}),
    "non-string-values": _with_file(subject=12, plain_text={"a": 1}, preview=[], has_more="yes"),
    "text-not-a-string": {"text": {"type": "rich_text"}, "ts": "1.2"},
    "nothing": {},
}


@pytest.mark.parametrize("event", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_post_is_filed_as_an_unreadable_email(event: dict[str, Any]) -> None:
    draft = _draft(event)

    assert draft.subject == UNREADABLE_SUBJECT
    assert LINK in draft.description
    assert draft.requester_contact is None
    assert draft.requester_id


def test_a_sender_without_subject_or_body_is_kept_on_the_unreadable_email() -> None:
    draft = _draft(_posted(subject=None, plain_text=None))

    assert draft.subject == UNREADABLE_SUBJECT
    assert draft.requester_contact == "dana@acme.example"
    assert "dana@acme.example" in draft.description


def test_without_a_permalink_an_unreadable_email_still_has_a_description() -> None:
    assert _draft({}, link=None).description.strip()


def test_a_huge_email_is_cut_to_what_the_request_and_slack_allow() -> None:
    event = _posted(subject="S" * 10_000, plain_text="line of log\n" * 100_000)
    event["text"] = "t" * (READ_MAX * 3)

    draft = _draft(event)

    assert len(draft.subject) == SUBJECT_MAX
    assert len(draft.description) <= DESCRIPTION_MAX
    assert draft.description.endswith(LINK)


def test_an_address_that_is_not_one_is_no_contact() -> None:
    event = _posted(sender=("<!channel>|dana@acme.example", "Dana"))

    draft = _draft(event)

    assert draft.requester_contact is None
    assert draft.requester_name == "Dana"


def test_ids_and_names_are_cut_to_their_columns() -> None:
    event = {**_posted(sender=("dana@acme.example", "D" * 500)), "user": "U" * 100}

    draft = _draft(event)

    assert len(draft.requester_id) == 32
    assert len(draft.requester_name) <= 255


def _request(**overrides: Any) -> Request:
    values: dict[str, Any] = {
        "id": 42,
        "team_id": "T0001",
        "requester_id": EMAIL_USER,
        "requester_name": "Dana <!channel> Reyes",
        "requester_contact": "dana@acme.example",
        "subject": "Exports time out",
        "description": BODY,
        "priority": Priority.MEDIUM,
        "intake_channel": IntakeChannel.EMAIL,
        "created_at": FILED_AT,
        "first_response_due_at": FILED_AT.add(hours=2),
        **overrides,
    }
    return Request(**values)


def _requester_field(request: Request) -> str:
    """The Requester field of the request's root message (checked against Slack's limits)."""
    message = request_root(request)
    assert check_message(message.blocks, message.text) == []
    [summary] = [b for b in message.blocks if b.get("block_id") == Block.REQUEST_SUMMARY]
    [field] = [f["text"] for f in summary["fields"] if f["text"].startswith("*Requester*")]
    return str(field)


def test_the_root_message_names_the_sender_of_an_emailed_request() -> None:
    field = _requester_field(_request())

    assert "<mailto:dana@acme.example|dana@acme.example>" in field
    assert "Dana &lt;!channel&gt; Reyes" in field
    assert "<@USLACKBOT>" not in field  # not the integration that posted it


def test_the_root_message_without_a_contact_mentions_the_requester() -> None:
    field = _requester_field(_request(requester_id="U0CARL", requester_contact=None))

    assert "<@U0CARL>" in field
    assert "mailto:" not in field
