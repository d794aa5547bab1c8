"""The /kustomer-support slash command: file a request, or help | status | list."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.accounts import Account
from bot.domain.requests import IntakeChannel
from bot.services.accounts import account_for_channel, account_for_team
from bot.services.queries import desk_hours, requester_list, requests_of
from bot.services.status_queries import vendor_status
from bot.slack.deps import SlackDeps
from bot.slack.errors import SLACK_ERRORS
from bot.slack.filing import open_filing_modal
from bot.slack.filing_terms import filing_terms
from bot.slack.ids import COMMAND
from bot.slack.metered import error_code
from bot.slack.phrases import clock_state
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.command_answers import LIST_REQUESTS, RECENT_REQUESTS, form_not_opened
from bot.slack.surfaces.messages import (
    email_route_note,
    help_message,
    list_message,
    status_message,
)

log = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    """Listen for the slash command."""

    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        word = (command.get("text") or "").strip().split(maxsplit=1)
        subcommand = word[0].lower() if word else ""
        if subcommand:
            # Quick read-only answers travel back in the ack itself, ephemerally.
            message = _answer(deps, subcommand, command)
            ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
            return
        ack()
        user_id, trigger_id = command.get("user_id"), command.get("trigger_id")
        if not (user_id and trigger_id and command.get("response_url")):
            return  # Slack always sends all three; without them nobody can be answered
        # In a customer's shared channel, the desk's staff file on the account's behalf (§11).
        terms = filing_terms(deps, user_id=user_id, channel_id=command.get("channel_id"))
        if terms.refusal is not None:
            note = email_route_note(support_email=deps.support_email, reason=terms.refusal)
            respond(text=note.text, blocks=note.blocks, response_type="ephemeral")
            return
        try:
            open_filing_modal(
                deps,
                client,
                trigger_id=trigger_id,
                route=IntakeChannel.CHAT,
                origin_channel_id=command.get("channel_id"),
                on_behalf=terms.on_behalf,
            )
        except SLACK_ERRORS as error:
            _say_the_form_did_not_open(deps, respond, error, user_id=user_id)


def _say_the_form_did_not_open(
    deps: SlackDeps, respond: Respond, error: Exception, *, user_id: str
) -> None:
    """Slack failed or timed out opening the modal: say so through the command's response_url,
    which answers in any channel (an ephemeral post needs the bot in the channel)."""
    log.warning("the filing modal did not open for %s: %s", user_id, error_code(error))
    note = form_not_opened(support_email=deps.support_email)
    try:
        respond(text=note.text, blocks=note.blocks, response_type="ephemeral")
    except SLACK_ERRORS as failure:
        log.warning("could not tell %s the form did not open: %s", user_id, error_code(failure))


def _answer(deps: SlackDeps, subcommand: str, command: dict[str, Any]) -> Message:
    if subcommand == "status":
        return _status(deps, command)
    if subcommand == "list":
        return _list(deps, command)
    return help_message()


def _status(deps: SlackDeps, command: dict[str, Any]) -> Message:
    hours = desk_hours(deps.desk)
    mine = requests_of(
        deps.desk,
        team_id=command.get("team_id") or "",
        requester_id=command.get("user_id") or "",
        open_only=True,
    )
    now = deps.desk.clock.now()
    return status_message(
        desk_open=hours.open_now,
        next_change=hours.next_change,
        targets=hours.targets,
        my_requests=[(r, clock_state(r, policy=deps.desk.policy, now=now)) for r in mine],
        vendor=vendor_status(deps.desk.db, now=now) if deps.desk.vendor_status else None,
    )


def _list(deps: SlackDeps, command: dict[str, Any]) -> Message:
    team_id = command.get("team_id") or ""
    mine = requester_list(
        deps.desk,
        team_id=team_id,
        requester_id=command.get("user_id") or "",
        open_limit=LIST_REQUESTS,
        resolved_limit=RECENT_REQUESTS,
        account=_speaks_for(deps, channel_id=command.get("channel_id") or "", team_id=team_id),
    )
    now = deps.desk.clock.now()
    states = [(r, clock_state(r, policy=deps.desk.policy, now=now)) for r in mine.open]
    return list_message(states, resolved=mine.recently_resolved, account=mine.account)


def _speaks_for(deps: SlackDeps, *, channel_id: str, team_id: str) -> Account | None:
    """The customer account of the shared channel the command came from, else of the
    person's own Slack team (a customer organisation that installed the app)."""
    return account_for_channel(deps.desk, channel_id) or account_for_team(deps.desk, team_id)
