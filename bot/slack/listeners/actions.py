"""Buttons and menus: the root message's actions, and the buttons that open the modal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.errors import DeskError
from bot.domain.requests import IntakeChannel
from bot.services import changes
from bot.services.changes import Change
from bot.services.desk import Desk
from bot.slack.deps import SlackDeps
from bot.slack.filing import open_filing_modal
from bot.slack.filing_terms import FilingTerms, filing_terms, home_team, user_team
from bot.slack.forms import parse_priority_option, parse_request_id, read_origin, read_prefill
from bot.slack.ids import Action
from bot.slack.surfaces.modals import FilingPrefill
from bot.slack.text import truncate

log = logging.getLogger(__name__)

RequestService = Callable[..., Change]

SERVICES: dict[Action, RequestService] = {
    Action.TAKE: changes.take,
    Action.WAIT_ON_CUSTOMER: changes.wait_on_customer,
    Action.CUSTOMER_REPLIED: changes.customer_replied,
    Action.ESCALATE_DEVELOPMENT: changes.escalate_to_development,
    Action.ESCALATE_LEADERSHIP: changes.escalate_to_leadership,
    Action.RESOLVE: changes.resolve,
}


def register(app: App, deps: SlackDeps) -> None:
    """Listen for every interactive element the app puts in messages and views."""
    for action_id, service in SERVICES.items():
        app.action(action_id.value)(_request_action(deps, service))

    app.action(Action.CHANGE_PRIORITY.value)(_priority_action(deps))

    @app.action(Action.REPORT_ANOTHER.value)
    def on_report_another(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        # Pressed on a root message: the new request is announced in that conversation.
        container = _obj(body.get("container"))
        channel = _channel_of(body)
        thread = container.get("thread_ts") or container.get("message_ts")
        origin = (channel, thread) if channel and thread else None
        _open_modal(deps, client, body, prefill=None, origin=origin)

    @app.action(Action.OPEN_FILING.value)
    def on_open_filing(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        # The note's button carries the person's words and where they wrote them.
        value = action.get("value")
        prefill = _prefill(read_prefill(value))
        _open_modal(deps, client, body, prefill=prefill, origin=read_origin(value))

    @app.action(Action.OPEN_EMAIL_FILING.value)
    def on_open_email_filing(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _open_modal(deps, client, body, prefill=None, origin=None, route=IntakeChannel.EMAIL)


def _priority_action(deps: SlackDeps) -> Callable[..., None]:
    def on_priority(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        # Each option's value is "<request id>:<priority>", so the select knows its request.
        chosen = parse_priority_option(_obj(action.get("selected_option")).get("value"))
        if chosen is None:
            log.warning("a priority choice without a request from %s", _user_id(body))
            return
        request_id, priority = chosen
        service = partial(changes.change_priority, priority=priority)
        _run(deps.desk, client, body, str(request_id), service)

    return on_priority


def _request_action(deps: SlackDeps, service: RequestService) -> Callable[..., None]:
    def on_action(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        _run(deps.desk, client, body, action.get("value") or "", service)
        if _obj(body.get("view")).get("type") == "home" and _user_id(body):
            # The clicker may be neither requester nor assignee: redraw their Home too.
            deps.messenger.refresh_homes([_user_id(body)])

    return on_action


def _run(
    desk: Desk, client: WebClient, body: dict[str, Any], request_id: str, service: RequestService
) -> None:
    """Call the service for the element's request; explain a refusal ephemerally."""
    user_id = _user_id(body)
    parsed = parse_request_id(request_id)
    if parsed is None or not user_id:
        log.warning("an interaction without a request id or a person (%s)", user_id)
        return
    try:
        service(desk, request_id=parsed, user_id=user_id)
    except DeskError as error:
        _tell(client, body, user_id, str(error))


def _tell(client: WebClient, body: dict[str, Any], user_id: str, text: str) -> None:
    channel = _obj(body.get("channel")).get("id")
    if channel:
        thread_ts = _obj(body.get("container")).get("thread_ts")
        client.chat_postEphemeral(channel=channel, user=user_id, text=text, thread_ts=thread_ts)


def _open_modal(
    deps: SlackDeps,
    client: WebClient,
    body: dict[str, Any],
    *,
    prefill: FilingPrefill | None,
    origin: tuple[str, str] | None,
    route: IntakeChannel | None = None,
) -> None:
    """The filing modal, on the route this person may use (or the email route, if asked)."""
    user_id, trigger_id = _user_id(body), body.get("trigger_id")
    if not (user_id and trigger_id):
        log.warning("a filing click without a person or a trigger")
        return
    channel_id, thread_ts = origin if origin else (_channel_of(body), None)
    terms = _terms(deps, body, user_id, channel_id)
    open_filing_modal(
        deps,
        client,
        trigger_id=trigger_id,
        route=route or terms.route,
        prefill=prefill,
        origin_channel_id=channel_id,
        origin_thread_ts=thread_ts,
        on_behalf=terms.on_behalf,
    )


def _terms(
    deps: SlackDeps, body: dict[str, Any], user_id: str, channel_id: str | None
) -> FilingTerms:
    """The person's route, by their customer account's policy when they speak for one."""
    return filing_terms(
        deps,
        user_id=user_id,
        channel_id=channel_id,
        user_team=user_team(body),
        home_team=home_team(body),
    )


def _channel_of(body: dict[str, Any]) -> str | None:
    """The channel where the person pressed the button (kept for replies about the filing)."""
    return _obj(body.get("container")).get("channel_id") or _obj(body.get("channel")).get("id")


def _user_id(body: dict[str, Any]) -> str:
    """Who acted ("" when the payload does not say: then nothing is done for them)."""
    return str(_obj(body.get("user")).get("id") or "")


def _obj(value: Any) -> dict[str, Any]:
    """A payload object, or {} where Slack left it out (or sent an id instead)."""
    return value if isinstance(value, dict) else {}


def _prefill(text: str) -> FilingPrefill:
    """The person's words become the new request's draft: first line as its subject."""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return FilingPrefill(subject=truncate(first_line, 150), description=truncate(text, 3000))
