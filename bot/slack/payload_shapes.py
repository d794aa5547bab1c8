"""The shapes of Slack's payloads that Bolt and the listeners rely on.

Slack documents these fields; Bolt indexes into several of them without looking (an `event`
of null, an `actions` list that is empty, a `view` that is a string all end in a 500), and
the listeners expect text where Slack sends text. Fields may be missing: the listeners
handle that. What is checked here is only what is never legitimately otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Slack's user, channel, team, view and event ids and message ts (or ""): short, as the
# columns that keep them (32 characters).
SLACK_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]{0,31})?")
# Trigger ids are longer ("1700000000.123456789.<32 hex>"); only delivery keys keep them.
TRIGGER_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]{0,99})?")
# Where Slack takes delayed answers (https://hooks.slack.com/...; the stand-in's on loopback).
URL = re.compile(r"https?://[^\s<>|\\]{1,2000}")
# Slack's payloads nest about a dozen levels (rich text in a message event); far fewer
# than this, and far from Python's recursion limit.
MAX_DEPTH = 40
# Text no database column can hold: NUL and lone surrogates (JSON can escape both).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class Shape:
    """What a field may hold: its types, the fields inside it, whether it may be null."""

    kinds: tuple[type, ...]
    fields: Mapping[str, Shape] = field(default_factory=dict)
    items: Shape | None = None
    nullable: bool = True
    required: tuple[str, ...] = ()
    nonempty: bool = False
    pattern: re.Pattern[str] | None = None


ID = Shape((str,), pattern=SLACK_ID)
TRIGGER = Shape((str,), pattern=TRIGGER_ID)
TEXT = Shape((str,))
LINK = Shape((str,), pattern=URL)


def obj(*, nullable: bool = True, required: tuple[str, ...] = (), **fields: Shape) -> Shape:
    return Shape((dict,), fields=fields, nullable=nullable, required=required)


def id_or_obj(**fields: Shape) -> Shape:
    return Shape((str, dict), fields=fields, pattern=SLACK_ID)


def list_of(items: Shape, *, nonempty: bool = False) -> Shape:
    return Shape((list,), items=items, nullable=False, nonempty=nonempty)


OPTION = obj(value=TEXT)
ACTION = obj(
    nullable=False,
    required=("action_id",),
    action_id=TEXT,
    block_id=TEXT,
    value=TEXT,
    type=TEXT,
    action_ts=ID,
    selected_option=OPTION,
    selected_options=list_of(OPTION),
)
VIEW = obj(
    nullable=False,
    id=ID,
    type=TEXT,
    callback_id=TEXT,
    private_metadata=TEXT,
    external_id=TEXT,
    hash=TEXT,
    team_id=ID,
    app_id=ID,
    app_installed_team_id=ID,
    root_view_id=ID,
    previous_view_id=ID,
    state=obj(nullable=False, values=obj(nullable=False)),
)
# Messages quoted inside events and payloads (edits, deletions, the clicked message).
QUOTED = obj(ts=ID, thread_ts=ID, user=ID, bot_id=ID, subtype=TEXT, text=TEXT)
ENVELOPE = obj(
    type=TEXT,
    token=TEXT,
    api_app_id=ID,
    team_id=ID,
    enterprise_id=ID,
    context_team_id=ID,
    context_enterprise_id=ID,
    user_id=ID,
    channel_id=ID,
    trigger_id=TRIGGER,
    event_id=ID,
    command=TEXT,
    text=TEXT,
    response_url=LINK,
    callback_id=TEXT,
    action_id=TEXT,
    team=id_or_obj(id=ID, enterprise_id=ID),
    enterprise=id_or_obj(id=ID),
    user=id_or_obj(id=ID, team_id=ID, name=TEXT, username=TEXT),
    channel=id_or_obj(id=ID, name=TEXT),
    container=obj(type=TEXT, channel_id=ID, message_ts=ID, thread_ts=ID, view_id=ID),
    message=QUOTED,
    view=VIEW,
    actions=list_of(ACTION, nonempty=True),
    authorizations=list_of(obj(nullable=False, team_id=ID, user_id=ID, enterprise_id=ID)),
    response_urls=list_of(obj(nullable=False, response_url=LINK)),
    state=obj(values=obj()),
    event=obj(nullable=False, type=TEXT),
)
# The events the app subscribes to, as the listeners read them.
EVENTS = {
    "message": obj(
        required=("channel", "ts"),
        channel=ID,
        ts=ID,
        thread_ts=ID,
        event_ts=ID,
        user=ID,
        bot_id=ID,
        team=ID,
        subtype=TEXT,
        text=TEXT,
        channel_type=TEXT,
        message=QUOTED,
        previous_message=QUOTED,
    ),
    "app_home_opened": obj(user=ID, channel=ID, tab=TEXT, view=obj()),
}


def shape_problem(payload: dict[str, Any]) -> str | None:
    """What makes this payload unreadable, or None when Bolt and the listeners can read it."""
    problem = _nesting_problem(payload) or _problem(payload, ENVELOPE, "body")
    if problem:
        return problem
    event = payload.get("event")
    if isinstance(event, dict) and isinstance(event.get("type"), str):
        shape = EVENTS.get(event["type"])
        return _problem(event, shape, "event") if shape else None
    return None


def _problem(value: Any, shape: Shape, path: str) -> str | None:
    if value is None:
        return None if shape.nullable else f"{path} is null"
    if not isinstance(value, shape.kinds):
        return f"{path} has the wrong type"
    if isinstance(value, str):
        ok = shape.pattern is None or shape.pattern.fullmatch(value)
        return None if ok else f"{path} is not what Slack sends there"
    if isinstance(value, list):
        return _list_problem(value, shape, path)
    return _object_problem(value, shape, path) if isinstance(value, dict) else None


def _object_problem(value: dict[str, Any], shape: Shape, path: str) -> str | None:
    missing = [key for key in shape.required if value.get(key) is None]
    if missing:
        return f"{path}.{missing[0]} is missing"
    for key, inner in shape.fields.items():
        if key in value and (problem := _problem(value[key], inner, f"{path}.{key}")):
            return problem
    return None


def _list_problem(value: list[Any], shape: Shape, path: str) -> str | None:
    if shape.nonempty and not value:
        return f"{path} is empty"
    for index, item in enumerate(value):
        if shape.items and (problem := _problem(item, shape.items, f"{path}[{index}]")):
            return problem
    return None


def _nesting_problem(payload: dict[str, Any]) -> str | None:
    """Too deep to walk safely, or text that cannot be stored (checked without recursion)."""
    pending: list[tuple[Any, int]] = [(payload, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return "body is nested too deeply"
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return "body holds NUL or unpaired surrogates"
        elif isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None
