"""What changed on a request, said in its conversation: the words for each `ChangeNote`."""

from __future__ import annotations

from bot.domain.changes import ChangeKind, ChangeNote
from bot.domain.model import Request
from bot.slack.surfaces.blocks import Message, section
from bot.slack.surfaces.blocks import user_ref as _user


def change_words(note: ChangeNote) -> str:
    """The app's own mrkdwn for one change."""
    who = _user(note.actor_id) if note.actor_id else "Someone"
    match note.kind:
        case ChangeKind.TAKEN:
            return f"{who} took this request."
        case ChangeKind.PRIORITY_CHANGED:
            old = note.old.label if note.old else "?"
            new = note.new.label if note.new else "?"
            return f"{who} changed the impact from {old} to {new}."
        case ChangeKind.WAITING:
            return f"{who} is waiting on the customer; the resolution clock is paused."
        case ChangeKind.RESUMED:
            if note.back_to_development:
                return "The customer replied; the request is back with Development."
            return "The customer replied; the resolution clock runs again."
        case ChangeKind.ESCALATED_DEVELOPMENT:
            return f"{who} escalated this request to Development."
        case ChangeKind.ESCALATED_LEADERSHIP:
            return f"{who} escalated this request to support leadership."
        case ChangeKind.RESOLVED:
            return f"{who} resolved this request."


def change_note(request: Request, note: ChangeNote) -> Message:
    """An in-thread note of what changed."""
    words = change_words(note)
    return Message(text=f"{request.key}: {words}", blocks=[section(words)])


def moved_note(request: Request, *, raised: bool, link: str | None, here_is_new: bool) -> Message:
    """The line linking a conversation's old thread and its new one."""
    where = "the on-call channel" if raised else "the support channel"
    linked = f"<{link}|{where}>" if link and link.startswith("https://") else where
    if here_is_new:
        what = "raised to Critical" if raised else "lowered from Critical"
        words = f"Continued here: {request.key} was {what}; its earlier thread is in {linked}."
    else:
        what = "Raised to Critical" if raised else "Lowered from Critical"
        words = f"{what}: this request continues in {linked}. Replies here still reach it."
    return Message(text=f"{request.key}: {words}", blocks=[section(words)])
