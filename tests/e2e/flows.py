"""Steps of a requester's and an engineer's life, played as signed Slack traffic."""

from __future__ import annotations

import json
from typing import Any

from bot.db.models import SupportRequest
from bot.db.requests_repo import to_domain
from bot.devtools import actors
from bot.devtools.driver import DriverResponse
from bot.devtools.harness import Harness
from bot.domain.model import Request
from bot.slack.ids import Action, Block


def filing_values(
    *,
    subject: str = "Inbox does not load",
    description: str = "Agents see a spinner on the inbox since this morning.",
    impact: str | None = "high",
    area: str = "email",
    **fields: Any,
) -> dict[str, Any]:
    """`view.state.values` for the filing modal, with a plausible High request by default."""
    return actors.filing_values(
        subject=subject, description=description, impact=impact, area=area, **fields
    )


def settle(world: Harness) -> None:
    """Wait until every listener the app has started is done: the barrier for "nothing more"."""
    assert world.runtime.listeners.wait_idle(10.0), "the app's listeners did not finish"


def command(world: Harness, user_id: str, text: str = "") -> DriverResponse:
    """Type `/kustomer-support <text>` in the support channel."""
    response = world.driver.slash_command(
        user_id=user_id, text=text, channel_id=world.cast.support_channel
    )
    assert response.status == 200, response.body
    return response


def open_modal(world: Harness, user_id: str) -> dict[str, Any]:
    """Type /kustomer-support and return the modal the app opened."""
    before = len(world.standin.calls_to("views.open"))
    command(world, user_id)
    world.standin.wait_for("views.open", count=before + 1)
    return dict(world.standin.views_opened()[-1])


def submit(world: Harness, user_id: str, view: dict[str, Any], **values: Any) -> DriverResponse:
    """Submit the modal with the given field values; returns the HTTP response."""
    return world.driver.view_submission(user_id=user_id, view=view, values=filing_values(**values))


def submit_and_wait(
    world: Harness, user_id: str, view: dict[str, Any], **values: Any
) -> dict[str, Any]:
    """Submit the modal and return the new root message as the stand-in stored it."""
    is_root = _is_root_post(world)
    before = len([call for call in world.standin.calls_to("chat.postMessage") if is_root(call)])
    response = submit(world, user_id, view, **values)
    assert response.status == 200, response.body
    assert response.body in ("", "{}"), response.body
    world.standin.wait_for("chat.postMessage", predicate=is_root, count=before + 1)
    settle(world)
    return newest_root(world)


def file(world: Harness, user_id: str, **values: Any) -> dict[str, Any]:
    """File a request through the modal and return its root message as the stand-in stored it."""
    return submit_and_wait(world, user_id, open_modal(world, user_id), **values)


def _is_root_post(world: Harness) -> Any:
    channels = (world.cast.support_channel, world.cast.oncall_channel)
    return lambda call: call.params.get("channel") in channels and not call.params.get("thread_ts")


def roots(world: Harness, channel: str) -> list[dict[str, Any]]:
    """Top-level messages of a channel."""
    return [m for m in world.standin.messages(channel) if not m.get("thread_ts")]


def all_roots(world: Harness) -> list[dict[str, Any]]:
    """Top-level messages in the support and on-call channels: one per conversation."""
    channels = (world.cast.support_channel, world.cast.oncall_channel)
    return [m for channel in channels for m in roots(world, channel)]


def newest_root(world: Harness) -> dict[str, Any]:
    return max(all_roots(world), key=lambda message: float(message["ts"]))


def current(world: Harness, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it reads now (after any chat.update)."""
    found = world.standin.message(message["channel"], message["ts"])
    assert found is not None, f"message {message['ts']} is gone"
    found["channel"] = message["channel"]
    return found


def thread_replies(world: Harness, root: dict[str, Any]) -> list[dict[str, Any]]:
    """Replies in a root message's thread (without the root)."""
    return [m for m in world.standin.thread(root["channel"], root["ts"]) if m["ts"] != root["ts"]]


def blocks_text(message: dict[str, Any]) -> str:
    """Everything a message shows, as one string to search."""
    return json.dumps({"text": message.get("text"), "blocks": message.get("blocks")})


def request_id(root: dict[str, Any]) -> int:
    """The request a root message belongs to: every button on it carries the id."""
    block = next(
        b for b in root["blocks"] if str(b.get("block_id", "")).startswith(Block.REQUEST_ACTIONS)
    )
    report = next(e for e in block["elements"] if e["action_id"] == Action.REPORT_ANOTHER)
    return int(report["value"])


def stored(world: Harness, root_or_id: dict[str, Any] | int) -> Request:
    """The request as the database holds it now."""
    ident = root_or_id if isinstance(root_or_id, int) else request_id(root_or_id)
    with world.runtime.desk.db.unit_of_work() as uow:
        request = uow.requests.get(ident)
    assert request is not None
    return request


def stored_requests(world: Harness) -> list[Request]:
    """Every request in the database, oldest first."""
    from sqlmodel import col, select

    with world.runtime.desk.db.session() as session:
        rows = session.exec(select(SupportRequest).order_by(col(SupportRequest.id))).all()
        return [to_domain(row) for row in rows]


def click(
    world: Harness,
    user_id: str,
    action_id: str,
    root: dict[str, Any],
    *,
    selected_value: str | None = None,
) -> DriverResponse:
    """Press a button (or choose an option) on a message in a channel."""
    message = {k: v for k, v in root.items() if k != "channel"}
    selected = None
    if selected_value is not None:
        selected = _option(root, action_id, selected_value)
    response = world.driver.block_action(
        user_id=user_id,
        action_id=action_id,
        channel_id=root["channel"],
        message=message,
        selected_option=selected,
    )
    assert response.status == 200, response.body
    return response


def click_ephemeral(
    world: Harness, user_id: str, action_id: str, ephemeral: dict[str, Any]
) -> DriverResponse:
    """Press a button on an ephemeral message.

    Slack says little about where an ephemeral message was (no thread, no blocks), so the
    app must not rely on it: the payload carries only the channel and the button's value.
    """
    button = next(
        e
        for b in ephemeral.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    container = {
        "type": "message",
        "message_ts": ephemeral["ts"],
        "channel_id": ephemeral["channel"],
        "is_ephemeral": True,
    }
    response = world.driver.block_action(
        user_id=user_id,
        action_id=action_id,
        value=button.get("value"),
        channel_id=ephemeral["channel"],
        container=container,
    )
    assert response.status == 200, response.body
    return response


def _option(root: dict[str, Any], action_id: str, value_suffix: str) -> dict[str, Any]:
    for block in root["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") != action_id:
                continue
            for option in element.get("options", []):
                if option["value"].endswith(f":{value_suffix}"):
                    return dict(option)
    raise AssertionError(f"no option {value_suffix} for {action_id}")


def change_priority(
    world: Harness, user_id: str, root: dict[str, Any], priority: str
) -> DriverResponse:
    return click(world, user_id, Action.CHANGE_PRIORITY, root, selected_value=priority)


def reply(
    world: Harness, root: dict[str, Any], user_id: str, text: str, **fields: Any
) -> DriverResponse:
    """Write a reply in the request's thread (a signed message event)."""
    response = world.driver.message_event(
        channel_id=root["channel"], user_id=user_id, text=text, thread_ts=root["ts"], **fields
    )
    assert response.status == 200, response.body
    return response


def updates_of(world: Harness, message: dict[str, Any]) -> list[Any]:
    """The chat.update calls that rewrote this message."""
    return [
        call
        for call in world.standin.calls_to("chat.update")
        if call.params.get("ts") == message["ts"]
        and call.params.get("channel") == message["channel"]
    ]


def ephemerals_for(world: Harness, user_id: str) -> list[dict[str, Any]]:
    return world.standin.ephemerals(user=user_id)
