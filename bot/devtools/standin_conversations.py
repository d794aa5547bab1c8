"""Stand-in conversations.* and reactions.* methods, read from the stored messages."""

from __future__ import annotations

from typing import Any

from bot.devtools.standin_chat import public_message
from bot.devtools.standin_common import Handler, Params, error, ok, text_param
from bot.devtools.standin_connect import conversation_view
from bot.devtools.standin_state import Workspace, dm_channel_id, make_channel, resolve_channel


def thread_messages(ws: Workspace, channel_id: str, thread_ts: str) -> list[dict[str, Any]]:
    """The parent and its replies, oldest first."""
    return [
        message
        for message in ws.messages.get(channel_id, [])
        if message["ts"] == thread_ts or message.get("thread_ts") == thread_ts
    ]


def _shown(ws: Workspace, message: dict[str, Any]) -> dict[str, Any]:
    """A message as history/replies show it, with the thread summary on a parent."""
    shown = public_message(message)
    replies = [
        m
        for m in ws.messages.get(message["channel"], [])
        if m.get("thread_ts") == message["ts"] and m["ts"] != message["ts"]
    ]
    if replies:
        shown.update(
            thread_ts=message["ts"],
            reply_count=len(replies),
            reply_users=sorted({m["user"] for m in replies}),
            latest_reply=replies[-1]["ts"],
        )
    reactions = ws.reactions.get((message["channel"], message["ts"]))
    if reactions:
        shown["reactions"] = _reaction_summary(reactions)
    return shown


def _reaction_summary(reactions: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Group reactions by emoji name the way Slack lists them on a message."""
    summary: dict[str, list[str]] = {}
    for reaction in reactions:
        summary.setdefault(reaction["name"], []).append(reaction["user"])
    return [{"name": n, "users": u, "count": len(u)} for n, u in summary.items()]


def _limit(params: Params) -> int:
    """The page size asked for (Slack's default is 100 for history, 1000 for replies)."""
    try:
        return max(1, int(params.get("limit") or 1000))
    except (TypeError, ValueError):
        return 1000


def conversations_replies(ws: Workspace, params: Params) -> dict[str, Any]:
    """conversations.replies: a thread's parent and replies."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    if channel_id not in ws.channels:
        return error("channel_not_found")
    thread_ts = text_param(params, "ts") or ""
    messages = thread_messages(ws, channel_id, thread_ts)
    if not messages:
        return error("thread_not_found")
    page = messages[: _limit(params)]
    return ok(
        messages=[_shown(ws, m) for m in page],
        has_more=len(page) < len(messages),
        response_metadata={"next_cursor": ""},
    )


def conversations_history(ws: Workspace, params: Params) -> dict[str, Any]:
    """conversations.history: top-level messages, newest first."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    if channel_id not in ws.channels:
        return error("channel_not_found")
    oldest = float(params.get("oldest") or 0)
    latest = float(params.get("latest") or "inf")
    top = [
        m
        for m in ws.messages.get(channel_id, [])
        if m.get("thread_ts") in (None, m["ts"]) and oldest <= float(m["ts"]) <= latest
    ]
    top.reverse()
    page = top[: _limit(params)]
    return ok(
        messages=[_shown(ws, m) for m in page],
        has_more=len(page) < len(top),
        response_metadata={"next_cursor": ""},
    )


def conversations_info(ws: Workspace, params: Params) -> dict[str, Any]:
    """conversations.info: a known channel, with its Slack Connect fields."""
    channel = ws.channels.get(resolve_channel(text_param(params, "channel") or ""))
    return ok(channel=conversation_view(ws, channel)) if channel else error("channel_not_found")


def conversations_join(ws: Workspace, params: Params) -> dict[str, Any]:
    """conversations.join: the bot joins; like posting, it creates an undeclared channel."""
    channel_id = text_param(params, "channel")
    if channel_id is None:
        return error("channel_not_found")
    channel = ws.channel(channel_id)
    if channel["is_private"]:
        return error("method_not_supported_for_channel_type")
    channel["is_member"] = True
    return ok(channel=dict(channel))


def conversations_open(ws: Workspace, params: Params) -> dict[str, Any]:
    """conversations.open: the bot's DM with one user."""
    users = [u for u in str(params.get("users") or "").split(",") if u]
    if len(users) != 1:
        return error("users_list_not_supplied" if not users else "not_implemented")
    channel_id = dm_channel_id(users[0])
    if channel_id not in ws.channels:
        ws.channels[channel_id] = make_channel(channel_id, users[0])
    return ok(channel={"id": channel_id})


def reactions_add(ws: Workspace, params: Params) -> dict[str, Any]:
    """reactions.add: the bot reacts to a message (known to the stand-in or not)."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    ts, name = text_param(params, "timestamp"), text_param(params, "name")
    if not channel_id or ts is None:
        return error("message_not_found")
    if name is None:
        return error("invalid_name")
    reactions = ws.reactions.setdefault((channel_id, ts), [])
    reaction = {"name": name, "user": ws.bot_user_id}
    if reaction in reactions:
        return error("already_reacted")
    reactions.append(reaction)
    return ok()


METHODS: dict[str, Handler] = {
    "conversations.history": conversations_history,
    "conversations.info": conversations_info,
    "conversations.join": conversations_join,
    "conversations.open": conversations_open,
    "conversations.replies": conversations_replies,
    "reactions.add": reactions_add,
}
