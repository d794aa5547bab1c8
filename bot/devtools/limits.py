"""Slack's Block Kit limits as pure checks, for the stand-in and for tests of every surface.

`check_view` and `check_message` return Slack-style error strings (empty list = valid),
each ending in `[json-pointer:/...]` so a failing test names the exact offender.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.devtools.limits_core import Checker, check_text, enumerate_dicts
from bot.devtools.limits_elements import (
    ACCESSORY_ELEMENTS,
    ACTIONS_ELEMENTS,
    INPUT_ELEMENTS,
    check_element,
    check_image_element,
)

MAX_VIEW_BYTES = 250_000
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_BLOCKS = 50
MAX_MESSAGE_TEXT = 40_000

_MESSAGE_ONLY_BLOCKS = frozenset({"file", "markdown"})

__all__ = ["check_blocks", "check_message", "check_view"]


def check_view(view: dict[str, Any]) -> list[str]:
    """Return every Slack limit a modal or Home tab view breaks (empty list = valid)."""
    chk = Checker()
    if not isinstance(view, dict):
        chk.add("/view", "must be an object")
        return chk.errors
    kind = view.get("type")
    if kind not in ("modal", "home"):
        chk.add("/view/type", "must be one of modal, home")
        return chk.errors
    size = len(json.dumps(view, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_VIEW_BYTES:
        chk.add("/view", f"must be at most {MAX_VIEW_BYTES} bytes as JSON (got {size})")
    chk.max_len(view.get("private_metadata"), "/view/private_metadata", 3000)
    chk.max_len(view.get("callback_id"), "/view/callback_id", 255)
    chk.max_len(view.get("external_id"), "/view/external_id", 255)
    lo = 1 if kind == "modal" else 0
    blocks = chk.items(view, "blocks", "/view", lo=lo, hi=MAX_VIEW_BLOCKS)
    if kind == "modal":
        _check_modal_chrome(chk, view, blocks)
    check_blocks(chk, blocks, "/view/blocks", surface=kind)
    return chk.errors


def _check_modal_chrome(chk: Checker, view: dict[str, Any], blocks: list[Any]) -> None:
    """Title, submit and close buttons of a modal (≤ 24 characters each)."""
    check_text(chk, view.get("title"), "/view/title", limit=24, plain_only=True)
    check_text(chk, view.get("close"), "/view/close", limit=24, plain_only=True, required=False)
    check_text(chk, view.get("submit"), "/view/submit", limit=24, plain_only=True, required=False)
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and view.get("submit") is None:
        chk.add("/view/submit", "is required when the view has input blocks")


def check_message(blocks: list[dict[str, Any]] | None, text: str | None) -> list[str]:
    """Return every Slack limit a message breaks (empty list = valid)."""
    chk = Checker()
    if not blocks and not text:
        chk.add("/text", "message needs text or blocks")
    chk.max_len(text, "/text", MAX_MESSAGE_TEXT)
    if blocks is not None:
        holder = {"blocks": blocks}
        items = chk.items(holder, "blocks", "", lo=0, hi=MAX_MESSAGE_BLOCKS)
        check_blocks(chk, items, "/blocks", surface="message")
    return chk.errors


def check_blocks(chk: Checker, blocks: list[Any], path: str, *, surface: str) -> None:
    """Check a list of blocks on `surface` (modal, home or message), block_ids unique."""
    for block_path, block in enumerate_dicts(blocks, path, chk):
        kind = block.get("type")
        if not isinstance(kind, str) or kind not in _BLOCK_CHECKS:
            chk.add(f"{block_path}/type", f"unknown block type: {kind!r}")
            continue
        if kind in _MESSAGE_ONLY_BLOCKS and surface != "message":
            chk.add(f"{block_path}/type", f"block type {kind} is only allowed in messages")
        _check_block_id(chk, block, block_path)
        _BLOCK_CHECKS[kind](chk, block, block_path)


def _check_block_id(chk: Checker, block: dict[str, Any], path: str) -> None:
    """block_id ≤ 255 characters and unique within one view or message."""
    block_id = block.get("block_id")
    if block_id is None:
        return
    chk.id_field(block, "block_id", path)
    if block_id in chk.block_ids:
        chk.add(f"{path}/block_id", f"duplicate block_id: {block_id}")
    elif isinstance(block_id, str):
        chk.block_ids.add(block_id)


def _check_section(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Section: text ≤ 3000, up to 10 fields of ≤ 2000, one optional accessory."""
    if block.get("text") is None and block.get("fields") is None:
        chk.add(path, "must provide text or fields")
    check_text(chk, block.get("text"), f"{path}/text", limit=3000, required=False)
    if block.get("fields") is not None:
        fields = chk.items(block, "fields", path, lo=1, hi=10)
        for index, field in enumerate(fields):
            check_text(chk, field, f"{path}/fields/{index}", limit=2000)
    if block.get("accessory") is not None:
        check_element(chk, block["accessory"], f"{path}/accessory", ACCESSORY_ELEMENTS)


def _check_header(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Header: plain_text ≤ 150."""
    check_text(chk, block.get("text"), f"{path}/text", limit=150, plain_only=True)


def _check_actions(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Actions: 1-25 interactive elements, action_ids unique within the block."""
    elements = chk.items(block, "elements", path, lo=1, hi=25)
    seen: set[str] = set()
    for index, element in enumerate(elements):
        check_element(chk, element, f"{path}/elements/{index}", ACTIONS_ELEMENTS)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str) and action_id in seen:
            chk.add(f"{path}/elements/{index}/action_id", f"duplicate action_id: {action_id}")
        elif isinstance(action_id, str):
            seen.add(action_id)


def _check_context(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Context: 1-10 image elements or text objects."""
    elements = chk.items(block, "elements", path, lo=1, hi=10)
    for element_path, element in enumerate_dicts(elements, f"{path}/elements", chk):
        if element.get("type") == "image":
            check_image_element(chk, element, element_path)
        else:
            check_text(chk, element, element_path, limit=3000)


def _check_input(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Input: label and hint plain_text ≤ 2000, one input element."""
    check_text(chk, block.get("label"), f"{path}/label", limit=2000, plain_only=True)
    check_text(chk, block.get("hint"), f"{path}/hint", limit=2000, plain_only=True, required=False)
    if chk.required(block, "element", path):
        check_element(chk, block["element"], f"{path}/element", INPUT_ELEMENTS)


def _check_image(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Image block: image element rules plus an optional plain_text title ≤ 2000."""
    check_image_element(chk, block, path)
    check_text(
        chk, block.get("title"), f"{path}/title", limit=2000, plain_only=True, required=False
    )


def _check_video(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Video: title plain_text < 200 and the required URLs."""
    check_text(chk, block.get("title"), f"{path}/title", limit=199, plain_only=True)
    for key in ("alt_text", "video_url", "thumbnail_url"):
        chk.required(block, key, path)


def _check_rich_text(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Rich text: needs its elements array (the inner structure is not length-limited)."""
    chk.items(block, "elements", path, lo=0, hi=10_000)


def _check_markdown(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Markdown block: text ≤ 12,000 characters."""
    if chk.required(block, "text", path):
        chk.max_len(block["text"], f"{path}/text", 12_000, min_len=1)


def _check_file(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Remote file block: external_id and source are required."""
    chk.required(block, "external_id", path)
    chk.required(block, "source", path)


def _check_divider(chk: Checker, block: dict[str, Any], path: str) -> None:
    """Dividers carry nothing to check beyond the block_id."""


_BLOCK_CHECKS: dict[str, Callable[[Checker, dict[str, Any], str], None]] = {
    "section": _check_section,
    "header": _check_header,
    "actions": _check_actions,
    "context": _check_context,
    "input": _check_input,
    "image": _check_image,
    "video": _check_video,
    "rich_text": _check_rich_text,
    "markdown": _check_markdown,
    "file": _check_file,
    "divider": _check_divider,
}
