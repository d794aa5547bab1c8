"""Input blocks for modals: block_id and action_id are both the field's id."""

from __future__ import annotations

from collections.abc import Sequence

from bot.slack.surfaces.blocks import Json, clip, plain


def input_block(
    block_id: str, label: str, element: Json, *, optional: bool = False, hint: str | None = None
) -> Json:
    """An input block whose element answers to the same id as the block."""
    block: Json = {
        "type": "input",
        "block_id": block_id,
        "label": plain(clip(label, 2000)),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(clip(hint, 2000))
    return block


def text_input(
    *,
    max_length: int,
    multiline: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
) -> Json:
    """A plain-text input; the initial value is raw text (inputs never render mrkdwn)."""
    element: Json = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(clip(placeholder, 150))
    return element


def choices(kind: str, options: Sequence[Json], *, initial: Sequence[str] = ()) -> Json:
    """Radio buttons (`radio_buttons`) or `checkboxes`, pre-selecting the `initial` values."""
    element: Json = {"type": kind, "options": list(options)}
    chosen = [o for o in options if o["value"] in initial]
    if chosen and kind == "radio_buttons":
        element["initial_option"] = chosen[0]
    elif chosen:
        element["initial_options"] = chosen
    return element
