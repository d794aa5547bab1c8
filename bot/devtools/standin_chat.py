"""Stand-in chat.* methods: messages are validated against Slack's limits and stored."""

from __future__ import annotations

import time
from typing import Any

from bot.devtools.limits import check_message
from bot.devtools.standin_common import Handler, Params, error, ok, text_param
from bot.devtools.standin_state import (
    STANDIN_HOST,
    HttpReply,
    Workspace,
    resolve_channel,
)

_FIELDS_KEPT_ON_UPDATE = ("text", "blocks", "attachments", "metadata")


def content_problem(params: Params) -> dict[str, Any] | None:
    """Why Slack would refuse this message's text/blocks, or None when it is fine."""
    blocks, attachments = params.get("blocks"), params.get("attachments")
    if blocks is not None and not isinstance(blocks, list):
        return error("invalid_blocks_format")
    if attachments is not None and not isinstance(attachments, list):
        return error("invalid_attachments")
    text = params.get("text")
    text = None if text is None else str(text)
    if not blocks and not text:
        return None if attachments else error("no_text")
    problems = check_message(blocks, text)
    if not problems:
        return None
    if all(problem.endswith("[json-pointer:/text]") for problem in problems):
        return error("msg_too_long", errors=problems)
    return error("invalid_blocks", errors=problems)


def public_message(message: dict[str, Any]) -> dict[str, Any]:
    """A stored message as the Web API shows it: no channel key and no empty fields."""
    return {k: v for k, v in message.items() if v is not None and k != "channel"}


def permalink(channel_id: str, ts: str, thread_ts: str | None) -> str:
    """The message's permalink, with the thread it belongs to when it is a reply."""
    link = f"https://{STANDIN_HOST}/archives/{channel_id}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return link


def thread_root(ws: Workspace, channel_id: str, thread_ts: str | None) -> str | None:
    """Replying to a reply lands in the same thread, as in Slack."""
    if thread_ts is None:
        return None
    parent = ws.find_message(channel_id, thread_ts)
    return parent["thread_ts"] if parent and parent.get("thread_ts") else thread_ts


def _measure_pace(ws: Workspace, channel_id: str, now: float) -> None:
    """Count posts that come sooner than the per-channel rate (the rate limits refuse some)."""
    times = ws.post_times.get(channel_id)
    if times and now - times[-1] < 1.0 / ws.rate_per_second:
        ws.rate_violations += 1


def chat_post_message(ws: Workspace, params: Params) -> dict[str, Any]:
    """chat.postMessage: validate, measure the pace and store a bot message."""
    channel_param = text_param(params, "channel")
    if channel_param is None:
        return error("channel_not_found")
    channel = ws.channel(resolve_channel(channel_param))
    if not channel["is_member"]:
        return error("not_in_channel")
    problem = content_problem(params)
    if problem is not None:
        return problem
    now = time.monotonic()
    _measure_pace(ws, channel["id"], now)
    message = {
        "type": "message",
        "channel": channel["id"],
        "ts": ws.next_ts(),
        "thread_ts": thread_root(ws, channel["id"], text_param(params, "thread_ts")),
        "text": str(params.get("text") or ""),
        "blocks": params.get("blocks"),
        "attachments": params.get("attachments"),
        "metadata": params.get("metadata"),
        "user": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "team": ws.team_id,
    }
    ws.store_message(message)
    ws.post_times.setdefault(channel["id"], []).append(now)
    return ok(channel=channel["id"], ts=message["ts"], message=public_message(message))


def _own_message(ws: Workspace, params: Params, refusal: str) -> dict[str, Any]:
    """The bot's stored message named by channel+ts, or raise Slack's error reply."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    message = ws.find_message(channel_id, text_param(params, "ts") or "")
    if message is None:
        raise HttpReply(200, error("message_not_found"), {})
    if message["user"] != ws.bot_user_id:
        raise HttpReply(200, error(refusal), {})
    return message


def chat_update(ws: Workspace, params: Params) -> dict[str, Any]:
    """chat.update: replace the text/blocks the caller sends, keep the rest."""
    message = _own_message(ws, params, "cant_update_message")
    problem = content_problem(params)
    if problem is not None:
        return problem
    for key in _FIELDS_KEPT_ON_UPDATE:
        if key in params:
            message[key] = str(params[key]) if key == "text" else params[key]
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    return ok(
        channel=message["channel"],
        ts=message["ts"],
        text=message["text"],
        message=public_message(message),
    )


def chat_delete(ws: Workspace, params: Params) -> dict[str, Any]:
    """chat.delete: remove one of the bot's messages."""
    message = _own_message(ws, params, "cant_delete_message")
    ws.messages[message["channel"]].remove(message)
    return ok(channel=message["channel"], ts=message["ts"])


def chat_post_ephemeral(ws: Workspace, params: Params) -> dict[str, Any]:
    """chat.postEphemeral: store a message only one user sees."""
    channel_param, user = text_param(params, "channel"), text_param(params, "user")
    if channel_param is None:
        return error("channel_not_found")
    if user is None:
        return error("user_not_found")
    problem = content_problem(params)
    if problem is not None:
        return problem
    channel_id = resolve_channel(channel_param)
    ws.channel(channel_id)
    ephemeral = {
        "channel": channel_id,
        "user": user,
        "ts": ws.next_ts(),
        "thread_ts": text_param(params, "thread_ts"),
        "text": str(params.get("text") or ""),
        "blocks": params.get("blocks"),
        "attachments": params.get("attachments"),
    }
    ws.ephemerals.append(ephemeral)
    return ok(message_ts=ephemeral["ts"])


def chat_get_permalink(ws: Workspace, params: Params) -> dict[str, Any]:
    """chat.getPermalink: a link to any message ts; replies link into their thread."""
    channel_id = resolve_channel(text_param(params, "channel") or "")
    ts = text_param(params, "message_ts")
    if not channel_id:
        return error("channel_not_found")
    if ts is None:
        return error("message_not_found")
    message = ws.find_message(channel_id, ts)
    thread_ts = message.get("thread_ts") if message else None
    return ok(channel=channel_id, permalink=permalink(channel_id, ts, thread_ts))


METHODS: dict[str, Handler] = {
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
}
