"""Payload shapes of Slack's inbound requests: interactivity and Events API envelopes."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from bot.clock import real_time
from bot.devtools.driver_connect import Origin

APP_ID = "A0STANDIN"
VERIFICATION_TOKEN = "standin-verification-token"
TEAM_DOMAIN = "standin"


def new_trigger_id() -> str:
    """A fresh trigger_id in Slack's `digits.digits.hex` shape."""
    return f"{int(real_time())}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"


def new_event_id() -> str:
    """A fresh Events API event_id."""
    return f"Ev{secrets.token_hex(5).upper()}"


def new_ts() -> str:
    """A message ts from the wall clock, as Slack stamps user messages."""
    return f"{real_time():.6f}"


def user_object(user_id: str, team_id: str) -> dict[str, Any]:
    """The `user` object of interactivity payloads."""
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def interaction_base(
    kind: str, user_id: str, team_id: str, trigger_id: str, *, user_team: str | None = None
) -> dict[str, Any]:
    """Fields every interactivity payload carries (user_team: the user's own, if another)."""
    return {
        "type": kind,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": user_object(user_id, user_team or team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def submitted_view(
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    team_id: str,
    callback_id: str | None,
    private_metadata: str | None,
    view_id: str | None,
    view_hash: str | None,
) -> dict[str, Any]:
    """The view as Slack sends it back on submission: ids, hash and the entered state."""
    shown = dict(view)
    shown["id"] = view_id or view.get("id") or f"V{secrets.token_hex(5).upper()}"
    shown["hash"] = view_hash or view.get("hash") or f"{int(real_time())}.{secrets.token_hex(4)}"
    shown["team_id"] = view.get("team_id", team_id)
    shown["app_id"] = view.get("app_id", APP_ID)
    if callback_id is not None:
        shown["callback_id"] = callback_id
    if private_metadata is not None:
        shown["private_metadata"] = private_metadata
    shown.setdefault("callback_id", "")
    shown.setdefault("private_metadata", "")
    shown.setdefault("root_view_id", shown["id"])
    shown.setdefault("previous_view_id", None)
    shown["state"] = {"values": {**_unanswered_inputs(view.get("blocks")), **values}}
    return shown


# What Slack reports for an input left empty, by element type.
_EMPTY_STATE: dict[str, dict[str, Any]] = {
    "plain_text_input": {"value": None},
    "radio_buttons": {"selected_option": None},
    "static_select": {"selected_option": None},
    "checkboxes": {"selected_options": []},
}


def _unanswered_inputs(blocks: Any) -> dict[str, Any]:
    """Every input block of the view with its empty value: Slack reports each input block."""
    state: dict[str, Any] = {}
    for block in blocks if isinstance(blocks, list) else []:
        element = block.get("element") if isinstance(block, dict) else None
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        kind = str(element.get("type", ""))
        empty = {"type": kind, **_EMPTY_STATE.get(kind, {"value": None})}
        state[str(block.get("block_id"))] = {str(element.get("action_id")): empty}
    return state


def _walk_elements(blocks: list[Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Yield (block_id, element) for every interactive element in a block list."""
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block_id = block.get("block_id")
        candidates = [block.get("accessory"), block.get("element"), *block.get("elements", [])]
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield block_id, element


def find_action(blocks: list[Any] | None, action_id: str) -> tuple[str | None, dict[str, Any]]:
    """The block_id and element that carry `action_id` in these blocks, if any."""
    for block_id, element in _walk_elements(blocks or []):
        if element["action_id"] == action_id:
            return block_id, element
    return None, {}


def action_entry(
    action_id: str,
    *,
    block_id: str | None,
    element: dict[str, Any],
    value: str | None,
    selected_option: dict[str, Any] | None,
    action_type: str | None,
) -> dict[str, Any]:
    """One entry of `actions`: a button click or a select choice."""
    kind = (
        action_type
        or element.get("type")
        or ("static_select" if selected_option is not None else "button")
    )
    entry: dict[str, Any] = {
        "type": kind,
        "action_id": action_id,
        "block_id": block_id or secrets.token_hex(3),
        "action_ts": new_ts(),
    }
    if kind == "button":
        entry["text"] = element.get("text") or {"type": "plain_text", "text": action_id}
        entry["value"] = value if value is not None else element.get("value")
        if element.get("style"):
            entry["style"] = element["style"]
    elif selected_option is not None:
        entry["selected_option"] = selected_option
    elif value is not None:
        entry["value"] = value
    return {k: v for k, v in entry.items() if v is not None}


def event_envelope(
    event: dict[str, Any], *, bot_user_id: str, event_id: str | None, origin: Origin
) -> dict[str, Any]:
    """The Events API `event_callback` envelope around one event (see driver_connect.py)."""
    installed = origin.installed_team
    envelope: dict[str, Any] = {
        "token": VERIFICATION_TOKEN,
        # "The workspace where the event occurred": in a shared channel, the author's.
        "team_id": origin.actor_team if origin.shared_channel else installed,
        "context_team_id": installed,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(real_time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": installed,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": origin.shared_channel,
    }
    if origin.shared_channel:
        envelope["context_enterprise_id"] = None
    return envelope


def posted_message_event(message: dict[str, Any], *, team_id: str) -> dict[str, Any]:
    """The `message` event for a message as the stand-in stored it (files, subtype and all)."""
    event = {k: v for k, v in message.items() if v is not None}
    event.update(type="message", event_ts=message["ts"])
    event.setdefault("team", team_id)
    event["channel_type"] = channel_type(str(message["channel"]))
    return event


def channel_type(channel_id: str) -> str:
    """The `channel_type` Slack reports for a channel id."""
    return {"D": "im", "G": "group"}.get(channel_id[:1], "channel")


def action_origin(
    channel_id: str | None,
    message: dict[str, Any] | None,
    view: dict[str, Any] | None,
    values: dict[str, Any] | None,
) -> tuple[str | None, dict[str, Any] | None, dict[str, Any] | None]:
    """The channel, message and view an action comes from, as Slack sends them."""
    if message is not None:
        channel_id = channel_id or message.get("channel")
        message = {k: v for k, v in message.items() if k != "channel"}
    if view is not None and values is not None:
        view = {**view, "state": {"values": values}}
    return channel_id, message, view
