"""What the customer reads in their own thread of a shared channel (§11), and nothing else.

A shared channel is seen by another organisation: these notes name no internal group, no
internal channel and no user id, and carry no ping, breach or escalation. Instants are
date tokens, so each reader sees their own timezone.
"""

from __future__ import annotations

from bot.domain.changes import CustomerNote, CustomerNoteKind
from bot.domain.model import Request
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import Message, section, user_text, when

# A person's name as the customer sees it: short, and escaped like any text people typed.
NAME_LIMIT = 80


def customer_note(request: Request, note: CustomerNote, *, name: str | None = None) -> Message:
    """The short note for one customer-facing event; `name` is who took the request."""
    match note.kind:
        case CustomerNoteKind.FILED:
            return _filed(request)
        case CustomerNoteKind.TAKEN:
            return _taken(request, name)
        case CustomerNoteKind.WAITING:
            words = (
                f":hourglass_flowing_sand: *{request.key}* is waiting on you: please reply "
                "in this thread when you can, and we will pick it up from there."
            )
            return _message(words, f"{request.key} is waiting on your reply.")
        case CustomerNoteKind.RESOLVED:
            words = (
                f":white_check_mark: *{request.key}* is resolved. Thank you! If anything "
                "else comes up, post a new message in this channel."
            )
            return _message(words, f"{request.key} is resolved.")


def _filed(request: Request) -> Message:
    lines = [
        f":inbox_tray: Thanks, we have filed this as *{request.key}* "
        f"({labels.impact(request)} impact).",
        f"First response due {when(request.first_response_due_at)}.",
    ]
    if labels.is_critical(request):
        lines.append("It is *Critical*: our 24/7 team has been alerted.")
    lines.append("We will answer here, in this thread.")
    return _message("\n".join(lines), f"Filed as {request.key}.")


def _taken(request: Request, name: str | None) -> Message:
    who = user_text(name.strip(), NAME_LIMIT) if name and name.strip() else ""
    if who:
        words = f":raising_hand: {who} from our support team is working on *{request.key}*."
    else:
        words = f":raising_hand: Our support team is working on *{request.key}*."
    return _message(words, f"{request.key} is being worked on.")


def _message(words: str, text: str) -> Message:
    return Message(text=text, blocks=[section(words)])
