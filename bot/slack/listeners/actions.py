"""Buttons and menus: the root message's actions, and the buttons that open the modal."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.requests import IntakeChannel, Priority
from bot.services import conversation
from bot.services.conversation import Change
from bot.services.desk import Desk
from bot.services.errors import DeskError
from bot.slack.deps import SlackDeps
from bot.slack.filing import chat_refusal, open_filing_modal
from bot.slack.ids import Action
from bot.slack.surfaces.modals import FilingPrefill
from bot.slack.text import truncate

log = logging.getLogger(__name__)

RequestService = Callable[..., Change]

SERVICES: dict[Action, RequestService] = {
    Action.TAKE: conversation.take,
    Action.WAIT_ON_CUSTOMER: conversation.wait_on_customer,
    Action.CUSTOMER_REPLIED: conversation.customer_replied,
    Action.ESCALATE_DEVELOPMENT: conversation.escalate_to_development,
    Action.ESCALATE_LEADERSHIP: conversation.escalate_to_leadership,
    Action.RESOLVE: conversation.resolve,
}


def register(app: App, deps: SlackDeps) -> None:
    """Listen for every interactive element the app puts in messages and views."""
    for action_id, service in SERVICES.items():
        app.action(action_id.value)(_request_action(deps, service))

    @app.action(Action.CHANGE_PRIORITY.value)
    def on_priority(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        # Each option's value is "<request id>:<priority>", so the select knows its request.
        request_id, _, value = action["selected_option"]["value"].partition(":")
        priority = Priority(value)
        _run(
            deps.desk,
            client,
            body,
            request_id,
            partial(conversation.change_priority, priority=priority),
        )

    @app.action(Action.REPORT_ANOTHER.value)
    def on_report_another(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _open_modal(deps, client, body, prefill=None)

    @app.action(Action.OPEN_FILING.value)
    def on_open_filing(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        _open_modal(deps, client, body, prefill=_prefill(action.get("value") or ""))

    @app.action(Action.OPEN_EMAIL_FILING.value)
    def on_open_email_filing(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_filing_modal(deps, client, trigger_id=body["trigger_id"], route=IntakeChannel.EMAIL)


def _request_action(deps: SlackDeps, service: RequestService) -> Callable[..., None]:
    def on_action(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        _run(deps.desk, client, body, action.get("value") or "", service)

    return on_action


def _run(
    desk: Desk, client: WebClient, body: dict[str, Any], request_id: str, service: RequestService
) -> None:
    """Call the service for the element's request; explain a refusal ephemerally."""
    user_id = body["user"]["id"]
    if not request_id.isdigit():
        log.warning("interaction without a request id from %s", user_id)
        return
    try:
        service(desk, request_id=int(request_id), user_id=user_id)
    except DeskError as error:
        _tell(client, body, user_id, str(error))


def _tell(client: WebClient, body: dict[str, Any], user_id: str, text: str) -> None:
    channel = (body.get("channel") or {}).get("id")
    if channel:
        thread_ts = (body.get("container") or {}).get("thread_ts")
        client.chat_postEphemeral(channel=channel, user=user_id, text=text, thread_ts=thread_ts)


def _open_modal(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], *, prefill: FilingPrefill | None
) -> None:
    user_id = body["user"]["id"]
    route = IntakeChannel.EMAIL if chat_refusal(deps, user_id) else IntakeChannel.CHAT
    container = body.get("container") or {}
    open_filing_modal(
        deps,
        client,
        trigger_id=body["trigger_id"],
        route=route,
        prefill=prefill,
        origin_channel_id=container.get("channel_id") or (body.get("channel") or {}).get("id"),
        origin_thread_ts=container.get("thread_ts"),
    )


def _prefill(value: str) -> FilingPrefill:
    """The note's button carries the person's words; they become the new request's draft."""
    try:
        text = str(json.loads(value).get("t") or "")
    except (ValueError, AttributeError):
        text = ""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return FilingPrefill(subject=truncate(first_line, 150), description=truncate(text, 3000))
