"""Short notes to people: file anew, use the email route, what changed, the conversation is open."""

from __future__ import annotations

import re

from bot.domain.model import Request
from bot.slack.forms import prefill_value
from bot.slack.ids import Action, Block
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    SECTION_LIMIT,
    Json,
    Message,
    actions,
    button,
    clip,
    section,
)
from bot.slack.text import escape

_NEW_REQUEST_NOTES = {
    "another_issue": (
        "This looks like a different issue. To keep every issue in its own conversation, "
        "please file it as a new request: your message is already in the form."
    ),
    "resolved": (
        "This request is resolved, so replies here are no longer tracked. If something is "
        "still wrong, or this is something new, file a new request: your message is "
        "already in the form."
    ),
    "not_a_request": (
        "Support requests start with `/kustomer-support`, so each one gets its own "
        "conversation and response clock. Open the form to turn your message into a "
        "request: your message is already in it."
    ),
}
_EMAIL_ROUTE_WHY = {
    "role": (
        "Chat support, where you choose the business impact, is open to your "
        "organisation's owners and administrators."
    ),
    "plan": (
        "Chat support, where you choose the business impact, is not part of the Professional plan."
    ),
}
_EMAIL = re.compile(r"^[^@\s<>|&]+@[^@\s<>|&]+$")


def another_issue_note(
    *, reason: str, prefill_text: str, origin: tuple[str, str] | None = None
) -> Message:
    """Points to a new request, with a button that opens the form prefilled with the text.

    `origin` (channel id, thread ts) travels with the button, so the new request can be
    announced in the conversation the text came from.
    """
    note = _NEW_REQUEST_NOTES.get(reason)
    if note is None:
        raise ValueError(f"unknown reason for a new-request note: {reason!r}")
    open_form = button(
        "File a new request",
        action_id=Action.OPEN_FILING,
        value=prefill_value(prefill_text, origin=origin),
        style="primary",
    )
    blocks = [section(note, block_id=Block.FILING_NOTE), actions([open_form])]
    return Message(text=note.split(". ")[0] + ".", blocks=blocks)


def email_route_note(*, support_email: str, reason: str) -> Message:
    """Why chat is not open to this requester, and the email route they can use instead."""
    why = _EMAIL_ROUTE_WHY.get(reason)
    if why is None:
        raise ValueError(f"unknown reason for the email-route note: {reason!r}")
    address = escape(support_email.strip())
    if _EMAIL.match(support_email.strip()):
        address = f"<mailto:{address}|{address}>"
    text = (
        f"{why}\nYou can still reach us by email at {address}, or file here through the "
        "email route: your request gets its own conversation and is handled at *Medium* "
        "impact."
    )
    file_button = button(
        "File by email route", action_id=Action.OPEN_EMAIL_FILING, value="email", style="primary"
    )
    blocks = [section(text, block_id=Block.FILING_NOTE), actions([file_button])]
    return Message(text=f"{why} You can file through the email route instead.", blocks=blocks)


def status_change_note(request: Request, *, text: str) -> Message:
    """An in-thread note of what changed; `text` is the app's own mrkdwn, used as is."""
    body = clip(text.strip() or "Updated.", SECTION_LIMIT)
    return Message(text=f"{request.key}: {body}", blocks=[section(body)])


def conversation_opened(request: Request, *, permalink: str | None) -> Message:
    """Tells the requester the conversation promised at filing is open now, with its link."""
    where = labels.channel_ref(request.slack_channel_id)
    line = f":speech_balloon: The conversation of your request *{request.key}* is open"
    line += f" in {where}" if where else ""
    blocks = [section(f"{line}: {labels.subject(request)}.")]
    blocks.extend(conversation_link(permalink))
    return Message(text=f"The conversation of your request {request.key} is open.", blocks=blocks)


def conversation_link(permalink: str | None) -> list[Json]:
    """An "Open the conversation" button, or nothing when the link is missing or not https."""
    if not permalink or not permalink.startswith("https://"):
        return []
    link = button("Open the conversation", action_id=Action.OPEN_CONVERSATION, url=permalink[:3000])
    return [actions([link])]
