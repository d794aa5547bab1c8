"""Slack Connect intake (§11): customers' messages in shared channels, the impact a customer
picks on a prompt, and "File with details" on a prompt or on the pinned help message.

People of other organisations cannot use slash commands; they can write and click. A
message in a shared channel no account maps is answered with silence to the customer and one
notice to the support channel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.accounts import Account
from bot.domain.requests import Priority
from bot.domain.shared_intake import (
    DESCRIPTION_LIMIT,
    SUBJECT_LIMIT,
    ChannelMessage,
    by_a_person,
    request_words,
    starts_request,
)
from bot.services.accounts import account_for_channel
from bot.services.shared_channels import notice_unmapped_channel
from bot.services.shared_intake import (
    CustomerMessage,
    PromptCheck,
    check_prompt,
    pick_impact,
    take_message,
)
from bot.slack.deps import SlackDeps
from bot.slack.filing import open_filing_modal
from bot.slack.filing_terms import filing_terms, home_team, user_team
from bot.slack.forms import parse_request_id
from bot.slack.ids import Action
from bot.slack.shared_messenger import shared_channels
from bot.slack.surfaces.modals import FilingPrefill
from bot.slack.surfaces.shared_prompts import prompt_refusal
from bot.slack.text import unescape

log = logging.getLogger(__name__)

PICK = re.compile(rf"^{re.escape(Action.PICK_IMPACT.value)}(?:\.\w+)?$")
PRIORITIES = frozenset(priority.value for priority in Priority)
ID_MAX = 32  # the width of the id columns
Handler = Callable[[SlackDeps, WebClient, dict[str, Any], dict[str, Any]], None]


def register(app: App, deps: SlackDeps) -> None:
    """Listen for the prompt's impact buttons and the "File with details" button."""

    @app.action(PICK)
    def on_pick(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        prompt_id, _, wanted = str(action.get("value") or "").partition(":")
        parsed, user_id = _prompt_id(prompt_id), _user_id(body)
        if parsed is None or wanted not in PRIORITIES or not user_id:
            log.warning("an impact pick without a prompt, an impact or a person")
            return
        port = shared_channels(deps, client)
        check = pick_impact(
            deps.desk, port, prompt_id=parsed, user_id=user_id, priority=Priority(wanted)
        )
        _explain(client, body, user_id, check)

    @app.action(Action.FILE_WITH_DETAILS.value)
    def on_details(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        _open_details(deps, client, body, str(action.get("value") or ""))


def _open_details(deps: SlackDeps, client: WebClient, body: dict[str, Any], value: str) -> None:
    """The filing modal on the route this person may use; from a prompt, with its message."""
    user_id, trigger_id, channel_id = _user_id(body), body.get("trigger_id"), _channel_of(body)
    if not (user_id and trigger_id):
        log.warning("a filing click without a person or a trigger")
        return
    prompt_id, prefill = None, None
    if value.startswith("prompt:"):
        check = check_prompt(deps.desk, prompt_id=_prompt_id(value[7:]) or 0, user_id=user_id)
        if check.prompt is None or check.refusal is not None:
            _explain(client, body, user_id, check)
            return
        prompt_id, prefill = check.prompt.id, _prefill(check.prompt.text)
    terms = filing_terms(
        deps,
        user_id=user_id,
        channel_id=channel_id,
        user_team=user_team(body),
        home_team=home_team(body),
    )
    open_filing_modal(
        deps,
        client,
        trigger_id=str(trigger_id),
        route=terms.route,
        prefill=prefill,
        origin_channel_id=channel_id,
        prompt_id=prompt_id,
        on_behalf=terms.on_behalf,
    )


def message_handler(
    deps: SlackDeps, body: dict[str, Any], event: dict[str, Any], *, bot_user_id: str | None
) -> Handler | None:
    """What a top-level message means when its channel is mapped or shared (None: nothing)."""
    channel = _text(event.get("channel"))
    if channel is None:
        return None
    account = account_for_channel(deps.desk, channel)
    if account is None and body.get("is_ext_shared_channel") is not True:
        return None
    return partial(_on_message, account=account, bot_user_id=bot_user_id)


def _on_message(
    deps: SlackDeps,
    client: WebClient,
    body: dict[str, Any],
    event: dict[str, Any],
    *,
    account: Account | None,
    bot_user_id: str | None,
) -> None:
    message = channel_message(body, event)
    if not by_a_person(message, app_user_id=bot_user_id) or message.user_id is None:
        return
    port = shared_channels(deps, client)
    if account is None:
        team = message.author_team if message.external else None
        notice_unmapped_channel(deps.desk, port, channel_id=message.channel_id, team_id=team)
        return
    desk_member = deps.directory.is_desk_member(message.user_id)
    if not starts_request(message, account, app_user_id=bot_user_id, desk_member=desk_member):
        return
    customer = CustomerMessage(
        channel_id=message.channel_id,
        ts=message.ts,
        user_id=message.user_id,
        team_id=message.author_team or message.home_team or "",
        words=unescape(message.text),
    )
    take_message(deps.desk, port, message=customer, account=account)


def channel_message(body: dict[str, Any], event: dict[str, Any]) -> ChannelMessage:
    """The message event as intake reads it: the author's team and the app's own."""
    authorizations = body.get("authorizations")
    first = authorizations[0] if isinstance(authorizations, list) and authorizations else {}
    home = _text(_obj(first).get("team_id"), body.get("context_team_id"), body.get("team_id"))
    return ChannelMessage(
        channel_id=_text(event.get("channel")) or "",
        ts=_text(event.get("ts")) or "",
        user_id=_text(event.get("user")),
        text=str(event.get("text") or ""),
        author_team=_text(event.get("user_team"), event.get("team")),
        home_team=home,
        subtype=_text(event.get("subtype")),
        bot_id=_text(event.get("bot_id")),
        thread_ts=_text(event.get("thread_ts")),
    )


def _explain(client: WebClient, body: dict[str, Any], user_id: str, check: PromptCheck) -> None:
    """Tell the clicker, and only them, why their click filed nothing."""
    channel = _channel_of(body)
    if check.refusal is None or not channel:
        return
    key = check.request.key if check.request is not None else None
    note = prompt_refusal(check.refusal, key=key)
    thread_ts = _obj(body.get("container")).get("thread_ts")
    client.chat_postEphemeral(
        channel=channel, user=user_id, text=note.text, blocks=note.blocks, thread_ts=thread_ts
    )


def _prefill(text: str) -> FilingPrefill:
    subject, description = request_words(
        text, subject_limit=SUBJECT_LIMIT, description_limit=DESCRIPTION_LIMIT
    )
    return FilingPrefill(subject=subject, description=description)


def _prompt_id(text: str) -> int | None:
    """A prompt id a button carries; None for anything malformed or past the id column."""
    parsed = parse_request_id(text)
    return parsed if parsed is not None and 0 < parsed < 2**31 else None


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = _obj(body.get("container")).get("channel_id") or _obj(body.get("channel")).get("id")
    return channel if isinstance(channel, str) else None


def _user_id(body: dict[str, Any]) -> str:
    return str(_obj(body.get("user")).get("id") or "")


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(*candidates: Any) -> str | None:
    """The first candidate that is a non-empty string as wide as the id columns (ids, ts)."""
    return next((c for c in candidates if isinstance(c, str) and 0 < len(c) <= ID_MAX), None)
