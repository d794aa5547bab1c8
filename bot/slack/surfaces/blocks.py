"""Small Block Kit builders shared by every surface, plus the `Message` they make up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pendulum

from bot.slack.text import date_token, escape, mention_user

Json = dict[str, Any]

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
OPTION_LIMIT = 75
MESSAGE_BLOCK_LIMIT = 50

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
# A cut must not leave half an entity (&am) or half a token (<!date^…) behind.
_OPEN_TAIL = re.compile(r"(&[#\w]{0,8}|<[^>]*)$")


@dataclass(frozen=True)
class Message:
    """A message ready for chat.postMessage or chat.update: fallback text and blocks."""

    text: str
    blocks: list[Json] = field(default_factory=list)


def clip(text: str, limit: int) -> str:
    """Truncate mrkdwn to `limit` characters without splitting an entity or a <token>."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    head = _OPEN_TAIL.sub("", head)
    return head.rstrip() + "…"


def user_text(raw: str, limit: int) -> str:
    """Escape text a person typed and fit it into `limit` characters."""
    return clip(escape(raw), limit)


def when(instant: datetime) -> str:
    """A Slack date token for an aware instant (a naive one is read as UTC)."""
    return date_token(pendulum.instance(instant))


def user_ref(user_id: str | None, *, fallback: str = "Unassigned") -> str:
    """Mention a Slack user by id, or show `fallback` when there is no valid id."""
    if user_id and _USER_ID.match(user_id):
        return mention_user(user_id)
    return escape(user_id) if user_id else fallback


def plain(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def section(text: str, *, block_id: str | None = None, accessory: Json | None = None) -> Json:
    """A section with mrkdwn text (cut to Slack's 3000 characters)."""
    block: Json = {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}
    if block_id:
        block["block_id"] = str(block_id)
    if accessory:
        block["accessory"] = accessory
    return block


def fields(items: Sequence[tuple[str, str]], *, block_id: str | None = None) -> Json:
    """A section of up to 10 "*label*\\nvalue" fields (label and value already mrkdwn)."""
    if not 1 <= len(items) <= 10:
        raise ValueError(f"a section holds 1 to 10 fields, not {len(items)}")
    block: Json = {
        "type": "section",
        "fields": [mrkdwn(clip(f"*{label}*\n{value}", FIELD_LIMIT)) for label, value in items],
    }
    if block_id:
        block["block_id"] = str(block_id)
    return block


def context(*texts: str, block_id: str | None = None) -> Json:
    """A context block of mrkdwn texts (at most 10)."""
    block: Json = {"type": "context", "elements": [mrkdwn(clip(t, SECTION_LIMIT)) for t in texts]}
    if block_id:
        block["block_id"] = str(block_id)
    return block


def header(text: str) -> Json:
    """A header block; `text` is plain text, cut to 150 characters."""
    return {"type": "header", "text": plain(clip(text, HEADER_LIMIT))}


def divider() -> Json:
    return {"type": "divider"}


def option(text: str, value: str, *, description: str | None = None) -> Json:
    """A plain-text option (text and description cut to 75 characters)."""
    result: Json = {"text": plain(clip(text, OPTION_LIMIT)), "value": value}
    if description:
        result["description"] = plain(clip(description, OPTION_LIMIT))
    return result


def confirm_dialog(*, title: str, text: str, confirm: str, deny: str) -> Json:
    """A confirmation dialog for a button."""
    return {
        "title": plain(clip(title, 100)),
        "text": mrkdwn(clip(text, 300)),
        "confirm": plain(clip(confirm, 30)),
        "deny": plain(clip(deny, 30)),
    }


def button(
    text: str,
    *,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    url: str | None = None,
    confirm: Json | None = None,
) -> Json:
    """A button; `value` travels back to the listener, `url` opens a link."""
    element: Json = {
        "type": "button",
        "text": plain(clip(text, OPTION_LIMIT)),
        "action_id": str(action_id),
    }
    for key, item in (("value", value), ("style", style), ("url", url), ("confirm", confirm)):
        if item is not None:
            element[key] = item
    return element


def static_select(
    *, action_id: str, placeholder: str, options: Sequence[Json], initial_value: str | None = None
) -> Json:
    """A static select; its initial option is the option whose value is `initial_value`."""
    element: Json = {
        "type": "static_select",
        "action_id": str(action_id),
        "placeholder": plain(clip(placeholder, HEADER_LIMIT)),
        "options": list(options),
    }
    initial = next((o for o in options if o["value"] == initial_value), None)
    if initial is not None:
        element["initial_option"] = initial
    return element


def actions(elements: Sequence[Json], *, block_id: str | None = None) -> Json:
    block: Json = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = str(block_id)
    return block


def line_sections(
    lines: Sequence[str], *, max_blocks: int, max_lines: int | None = None, more: str = ""
) -> list[Json]:
    """Pack lines into sections of ≤ 3000 characters, in at most `max_blocks` blocks.

    Lines that do not fit (or pass `max_lines`) are summed up as "…and N more" in a
    context block, for which one block of the budget is kept (so `max_blocks` ≥ 2).
    """
    if max_blocks < 2:
        raise ValueError("line_sections needs a budget of at least 2 blocks")
    chunks: list[list[str]] = [[]]
    size = 0
    shown = 0
    for raw in lines[:max_lines]:
        line = clip(raw, SECTION_LIMIT)
        grown = size + len(line) + (1 if chunks[-1] else 0)
        if grown > SECTION_LIMIT:
            if len(chunks) >= max_blocks - 1:
                break
            chunks.append([])
            grown = len(line)
        chunks[-1].append(line)
        size = grown
        shown += 1
    blocks = [section("\n".join(chunk)) for chunk in chunks if chunk]
    if shown < len(lines):
        blocks.append(context(f"…and {len(lines) - shown} more{more}"))
    return blocks
