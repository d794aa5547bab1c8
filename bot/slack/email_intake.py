"""Slack's email-to-channel posts: a message event's text and email file, read into a draft.

Slack posts a forwarded email as a message (subtype `file_share` or none, `text` often
empty) whose `files` hold a file with `filetype: "email"` and `mode: "email"`: `subject`,
`from`, `to` and `cc` as `[{address, name, original}]`, the body as `plain_text`, a
`preview_plain_text` and `preview` with `has_more`, and `headers`. Nothing in it is
trusted: any field may be missing, of another type, or huge.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parseaddr
from typing import Any

from bot.domain.email_intake import Email, LinkSource, email_request, sender_address
from bot.domain.requests import IntakeChannel, Priority
from bot.services.filing import RequestDraft
from bot.slack.forms import DESCRIPTION_MAX, SUBJECT_MAX
from bot.slack.text import unescape

# More than a request keeps: the rest of a huge email is never looked at.
READ_MAX = 4 * DESCRIPTION_MAX
ID_MAX = 32  # the width of the id columns
SENDERS_READ = 10
# Where the email's text is, best first: the previews hold only its start.
BODY_FIELDS = ("plain_text", "preview_plain_text", "preview")


def email_draft(event: Mapping[str, Any], *, team_id: str, link: LinkSource) -> RequestDraft:
    """The Medium email request a new message in the intake channel files."""
    request = email_request(
        read_email(event), link=link, subject_limit=SUBJECT_MAX, description_limit=DESCRIPTION_MAX
    )
    return RequestDraft(
        team_id=team_id[:ID_MAX],
        requester_id=_id(event.get("user")) or _id(event.get("bot_id")) or "unknown",
        requester_name=request.requester_name,
        requester_contact=request.requester_contact,
        subject=request.subject,
        description=request.description,
        priority=Priority.MEDIUM,
        intake_channel=IntakeChannel.EMAIL,
    )


def read_email(event: Mapping[str, Any]) -> Email:
    """What the message carries: its own text, and its email file's subject, sender and text."""
    raw_note, note_cut = _text(event.get("text"))
    note = unescape(raw_note)  # message text comes Slack-escaped; the file's fields do not
    email = _email_file(event.get("files"))
    if email is None:
        return Email(note=note, partial=note_cut)
    address, name = _sender(email.get("from"))
    body, body_cut = _body(email)
    return Email(
        subject=_text(email.get("subject"))[0],
        body=body,
        note=note,
        sender_address=address,
        sender_name=name,
        partial=note_cut or body_cut,
    )


def _email_file(files: Any) -> Mapping[str, Any] | None:
    """The message's first email file, if it has one."""
    if not isinstance(files, list):
        return None
    for file in files:
        if isinstance(file, Mapping) and "email" in (file.get("filetype"), file.get("mode")):
            return file
    return None


def _sender(value: Any) -> tuple[str | None, str]:
    """The first sender with an address or a name: `address`, else the one in `original`."""
    entries = value if isinstance(value, list) else [value]
    for entry in entries[:SENDERS_READ]:
        if not isinstance(entry, Mapping):
            continue
        name = _text(entry.get("name"))[0].strip()
        original_name, original_address = parseaddr(_text(entry.get("original"))[0])
        address = sender_address(_text(entry.get("address"))[0]) or sender_address(original_address)
        if address or name or original_name:
            return address, name or original_name
    return None, ""


def _body(email: Mapping[str, Any]) -> tuple[str, bool]:
    """The email's text, and whether Slack (or our reading) kept only part of it."""
    for field in BODY_FIELDS:
        text, cut = _text(email.get(field))
        if text.strip():
            # A preview is the email's start: with `has_more`, Slack holds the rest.
            return text, cut or (field != "plain_text" and email.get("has_more") is True)
    return "", False


def _text(value: Any) -> tuple[str, bool]:
    """A string field, at most READ_MAX long, and whether it was longer; "" if not a string."""
    if not isinstance(value, str):
        return "", False
    return value[:READ_MAX], len(value) > READ_MAX


def _id(value: Any) -> str:
    return value[:ID_MAX] if isinstance(value, str) else ""
