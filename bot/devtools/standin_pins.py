"""Stand-in pins.add, pins.list and pins.remove for messages, with Slack's documented errors.

Sources: https://docs.slack.dev/reference/methods/pins.add, .../pins.list, .../pins.remove
(errors already_pinned, bad_timestamp, channel_not_found, message_not_found,
no_item_specified, not_pinned, not_in_channel; pins.list lists `items` of type "message").
Only messages are pinned here (the file and file_comment arguments are not modelled).
"""

from __future__ import annotations

import re
from typing import Any

from bot.clock import real_time
from bot.devtools.standin_chat import permalink, public_message
from bot.devtools.standin_common import Handler, Params, error, ok, text_param
from bot.devtools.standin_state import HttpReply, Workspace, resolve_channel

_TS = re.compile(r"\d+\.\d+")


def pinned_items(ws: Workspace, channel_id: str) -> list[dict[str, Any]]:
    """The channel's pins as pins.list shows them, newest first; a deleted message unpins."""
    items = []
    for pin in reversed(ws.pins.get(channel_id, [])):
        message = ws.find_message(channel_id, pin["ts"])
        if message is None:
            continue
        shown = public_message(message)
        shown["permalink"] = permalink(channel_id, message["ts"], message.get("thread_ts"))
        shown["pinned_to"] = [channel_id]
        items.append(
            {
                "type": "message",
                "channel": channel_id,
                "created": pin["created"],
                "created_by": pin["created_by"],
                "message": shown,
            }
        )
    return items


def _target(ws: Workspace, params: Params) -> tuple[str, dict[str, Any]]:
    """The channel and the message a pins call names, or raise Slack's error reply."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    channel = ws.channels.get(channel_id)
    if channel is None:
        raise HttpReply(200, error("channel_not_found"), {})
    ts = text_param(params, "timestamp")
    if ts is None:
        raise HttpReply(200, error("no_item_specified"), {})
    if not _TS.fullmatch(ts):
        raise HttpReply(200, error("bad_timestamp"), {})
    message = ws.find_message(channel_id, ts)
    if message is None:
        raise HttpReply(200, error("message_not_found"), {})
    return channel_id, message


def _is_pinned(ws: Workspace, channel_id: str, ts: str) -> bool:
    return any(pin["ts"] == ts for pin in ws.pins.get(channel_id, []))


def pins_add(ws: Workspace, params: Params) -> dict[str, Any]:
    """pins.add: pin a message of a channel the bot is in."""
    channel = ws.channels.get(resolve_channel(text_param(params, "channel") or ""))
    if channel is not None and not channel["is_member"]:
        return error("not_in_channel")
    channel_id, message = _target(ws, params)
    if _is_pinned(ws, channel_id, message["ts"]):
        return error("already_pinned")
    pin = {"ts": message["ts"], "created": int(real_time()), "created_by": ws.bot_user_id}
    ws.pins.setdefault(channel_id, []).append(pin)
    message["pinned_to"] = [channel_id]
    return ok()


def pins_remove(ws: Workspace, params: Params) -> dict[str, Any]:
    """pins.remove: un-pin a pinned message."""
    channel_id, message = _target(ws, params)
    if not _is_pinned(ws, channel_id, message["ts"]):
        return error("not_pinned")
    ws.pins[channel_id] = [p for p in ws.pins[channel_id] if p["ts"] != message["ts"]]
    message.pop("pinned_to", None)
    return ok()


def pins_list(ws: Workspace, params: Params) -> dict[str, Any]:
    """pins.list: the items pinned to a channel."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    if channel_id not in ws.channels:
        return error("channel_not_found")
    return ok(items=pinned_items(ws, channel_id))


METHODS: dict[str, Handler] = {
    "pins.add": pins_add,
    "pins.list": pins_list,
    "pins.remove": pins_remove,
}
