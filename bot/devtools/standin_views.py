"""Stand-in views.* methods: modals and Home tabs, validated against Slack's limits."""

from __future__ import annotations

from typing import Any

from bot.clock import real_time
from bot.devtools.limits import check_view
from bot.devtools.standin_common import Handler, Params, error, invalid_arguments, ok, text_param
from bot.devtools.standin_directory import APP_ID
from bot.devtools.standin_state import HttpReply, Workspace

MAX_STACK = 3


def _submitted_view(params: Params, kind: str) -> dict[str, Any]:
    """The `view` argument after Slack's checks, or raise the error reply."""
    view = params.get("view")
    if not isinstance(view, dict):
        raise HttpReply(200, invalid_arguments("failed to parse view: must be a JSON object"), {})
    if view.get("type") != kind:
        message = f"must be {kind} for this method [json-pointer:/view/type]"
        raise HttpReply(200, invalid_arguments(message), {})
    problems = check_view(view)
    if problems:
        raise HttpReply(200, invalid_arguments(*problems), {})
    return view


def _consume_trigger(ws: Workspace, params: Params) -> None:
    """A trigger_id works once; Slack refuses a second exchange."""
    trigger = text_param(params, "trigger_id") or text_param(params, "interactivity_pointer")
    if trigger is None:
        raise HttpReply(200, invalid_arguments("missing required field: trigger_id"), {})
    if trigger in ws.used_triggers:
        raise HttpReply(200, error("exchanged_trigger_id"), {})
    ws.used_triggers.add(trigger)


def _store_view(
    ws: Workspace,
    view: dict[str, Any],
    *,
    view_id: str | None = None,
    root: str | None = None,
    previous: str | None = None,
) -> dict[str, Any]:
    """Build the view object Slack returns (ids, hash, empty state) and remember it."""
    view_id = view_id or ws.next_id("V")
    stored = {
        "type": view["type"],
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "submit_disabled": bool(view.get("submit_disabled", False)),
        **{key: value for key, value in view.items() if key not in ("id", "hash", "state")},
        "id": view_id,
        "team_id": ws.team_id,
        "app_id": APP_ID,
        "bot_id": ws.bot_id,
        "app_installed_team_id": ws.team_id,
        "state": {"values": {}},
        "hash": f"{int(real_time())}.{ws.next_id('h')}",
        "root_view_id": root or view_id,
        "previous_view_id": previous,
    }
    ws.views[view_id] = stored
    return stored


def views_open(ws: Workspace, params: Params) -> dict[str, Any]:
    """views.open: open a modal with a fresh trigger."""
    view = _submitted_view(params, "modal")
    _consume_trigger(ws, params)
    stored = _store_view(ws, view)
    ws.opened.append(stored["id"])
    ws.top_modal = stored["id"]
    return ok(view=dict(stored))


def views_push(ws: Workspace, params: Params) -> dict[str, Any]:
    """views.push: stack a modal on the newest open modal (at most 3 deep)."""
    view = _submitted_view(params, "modal")
    _consume_trigger(ws, params)
    if ws.top_modal is None:
        return error("not_found")
    top = ws.views[ws.top_modal]
    root = top["root_view_id"]
    depth = sum(1 for v in ws.views.values() if v["root_view_id"] == root)
    if depth >= MAX_STACK:
        return error("push_limit_reached")
    stored = _store_view(ws, view, root=root, previous=top["id"])
    ws.pushed.append(stored["id"])
    ws.top_modal = stored["id"]
    return ok(view=dict(stored))


def views_update(ws: Workspace, params: Params) -> dict[str, Any]:
    """views.update: replace a view by id or external_id, honouring the hash guard."""
    view_id = text_param(params, "view_id")
    external_id = text_param(params, "external_id")
    if view_id is None and external_id is not None:
        view_id = next((i for i, v in ws.views.items() if v["external_id"] == external_id), None)
    current = ws.views.get(view_id or "")
    if current is None:
        return error("not_found")
    view = _submitted_view(params, current["type"])
    guard = text_param(params, "hash")
    if guard is not None and guard != current["hash"]:
        return error("hash_conflict")
    stored = _store_view(
        ws,
        view,
        view_id=current["id"],
        root=current["root_view_id"],
        previous=current["previous_view_id"],
    )
    return ok(view=dict(stored))


def views_publish(ws: Workspace, params: Params) -> dict[str, Any]:
    """views.publish: set a user's Home tab."""
    user_id = text_param(params, "user_id")
    if user_id is None:
        return invalid_arguments("missing required field: user_id")
    view = _submitted_view(params, "home")
    current = ws.views.get(ws.home.get(user_id, ""))
    guard = text_param(params, "hash")
    if current is not None and guard is not None and guard != current["hash"]:
        return error("hash_conflict")
    stored = _store_view(ws, view, view_id=current["id"] if current else None)
    ws.home[user_id] = stored["id"]
    ws.view_owner[stored["id"]] = user_id
    return ok(view=dict(stored))


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.publish": views_publish,
    "views.push": views_push,
    "views.update": views_update,
}
