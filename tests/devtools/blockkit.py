"""Tiny Block Kit builders for the limit tests (raw dicts, as the app's surfaces build them)."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def plain(text: str) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def option(value: str, text: str | None = None) -> dict[str, Any]:
    """An option object."""
    return {"text": plain(text if text is not None else value), "value": value}


def section(text: str = "hello", **extra: Any) -> Block:
    """A section block with mrkdwn text."""
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(action_id: str = "act", text: str = "Go", **extra: Any) -> dict[str, Any]:
    """A button element."""
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """An actions block."""
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def static_select(options: list[dict[str, Any]], action_id: str = "pick", **extra: Any) -> Block:
    """A static_select element."""
    return {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain("Choose"),
        "options": options,
        **extra,
    }


def text_input(block_id: str = "subject", action_id: str = "value", **extra: Any) -> Block:
    """An input block holding a plain_text_input."""
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain("Subject"),
        "element": {"type": "plain_text_input", "action_id": action_id, **extra},
    }


def modal(*blocks: Block, **extra: Any) -> dict[str, Any]:
    """A modal view with a title, submit and close."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "file_request",
        "title": plain("File a request"),
        "submit": plain("Submit"),
        "close": plain("Cancel"),
        "blocks": list(blocks) or [section()],
    }
    view.update(extra)
    return view
