"""Builders for `view.state.values` fragments, shaped like Slack's view_submission payloads."""

from __future__ import annotations

from typing import Any

StateValues = dict[str, dict[str, dict[str, Any]]]

_TEXT_KINDS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input"})
_SINGLE_OPTION_KINDS = frozenset({"static_select", "external_select", "radio_buttons"})
_MULTI_OPTION_KINDS = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})
# Selects that report an id instead of an option, and the key Slack uses for it.
_ID_KEYS = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "rich_text_input": "rich_text_value",
}
STATE_KINDS = frozenset(_ID_KEYS) | _TEXT_KINDS | _SINGLE_OPTION_KINDS | _MULTI_OPTION_KINDS


def option(value: Any, text: str | None = None) -> dict[str, Any]:
    """An option object from a value (a full option dict passes through unchanged)."""
    if isinstance(value, dict):
        return value
    shown = str(value) if text is None else text
    return {"text": {"type": "plain_text", "text": shown, "emoji": True}, "value": str(value)}


def element_state(kind: str, value: Any, *, text: str | None = None) -> dict[str, Any]:
    """One element's state entry, e.g. {"type": "static_select", "selected_option": {...}}."""
    if kind not in STATE_KINDS:
        raise ValueError(f"unknown element kind {kind!r}; expected one of {sorted(STATE_KINDS)}")
    entry: dict[str, Any] = {"type": kind}
    if kind in _TEXT_KINDS:
        entry["value"] = None if value is None else str(value)
    elif kind in _SINGLE_OPTION_KINDS:
        entry["selected_option"] = None if value is None else option(value, text)
    elif kind in _MULTI_OPTION_KINDS:
        entry["selected_options"] = [option(v) for v in _as_list(value)]
    elif kind.startswith("multi_"):
        entry[_ID_KEYS[kind]] = list(_as_list(value))
    else:
        entry[_ID_KEYS[kind]] = value
    return entry


def view_state_value(
    block_id: str,
    action_id: str,
    kind: str = "plain_text_input",
    value: Any = None,
    *,
    text: str | None = None,
) -> StateValues:
    """A `state.values` fragment for one input: {block_id: {action_id: {...}}}."""
    return {block_id: {action_id: element_state(kind, value, text=text)}}


def merge_states(*fragments: StateValues) -> StateValues:
    """Merge fragments into one `state.values` (later fragments win per action_id)."""
    merged: StateValues = {}
    for fragment in fragments:
        for block_id, actions in fragment.items():
            merged.setdefault(block_id, {}).update(actions)
    return merged


def _as_list(value: Any) -> list[Any]:
    """None → [], a scalar → [scalar], a list stays."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
