"""Opening the filing modal, who may file through chat, and telling people where it went."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.accounts import ChatRefusal, PlanTier
from bot.domain.model import Request
from bot.domain.requests import AffectedArea, IntakeChannel, Priority
from bot.domain.sla import target_phrase
from bot.services.status_queries import active_incidents
from bot.slack.deps import SlackDeps
from bot.slack.forms import FilingMetadata
from bot.slack.surfaces.messages import filing_confirmation
from bot.slack.surfaces.modals import FilingPrefill, filing_modal

log = logging.getLogger(__name__)


def chat_refusal(deps: SlackDeps, user_id: str) -> ChatRefusal | None:
    """Why this person of the workspace may not file through chat, or None if they may.

    Customer accounts are judged by `bot.domain.accounts.chat_allowed`, with the same words.
    """
    if deps.plan_tier == PlanTier.PROFESSIONAL:
        return ChatRefusal.PLAN
    if not deps.directory.is_chat_admin(user_id):
        return ChatRefusal.ROLE
    return None


def open_filing_modal(
    deps: SlackDeps,
    client: WebClient,
    *,
    trigger_id: str,
    route: IntakeChannel,
    prefill: FilingPrefill | None = None,
    origin_channel_id: str | None = None,
    origin_thread_ts: str | None = None,
    prompt_id: int | None = None,
    on_behalf: bool = False,
) -> None:
    """Open the modal, showing each impact's target for a request filed now.

    `prompt_id`: opened from a shared channel's impact prompt; `on_behalf`: staff filing for
    a customer account, who name the customer in it (§11).
    """
    metadata = FilingMetadata(
        route=route,
        origin_channel_id=origin_channel_id,
        origin_thread_ts=origin_thread_ts,
        prompt_id=prompt_id,
        on_behalf=on_behalf,
    )
    view = filing_view(deps, route=route, prefill=prefill, metadata=metadata)
    client.views_open(trigger_id=trigger_id, view=view)


def filing_view(
    deps: SlackDeps,
    *,
    route: IntakeChannel,
    prefill: FilingPrefill | None,
    metadata: FilingMetadata,
) -> dict[str, Any]:
    """The filing modal as of now: each impact's target, and the vendor's active incidents."""
    now = deps.desk.clock.now()
    policy = deps.desk.policy
    phrases = {
        priority: target_phrase(
            priority, now, policy.calendar, target=policy.terms.first_response[priority]
        )
        for priority in Priority
    }
    incidents = active_incidents(deps.desk.db) if deps.desk.vendor_status else []
    return filing_modal(
        route=route,
        impact_phrases=phrases,
        prefill=prefill,
        private_metadata=metadata.dumps(),
        active_incidents=incidents,
        support_email=deps.support_email,
        ask_requester=metadata.on_behalf,
    )


def redraw_for_area(
    deps: SlackDeps, client: WebClient, view: dict[str, Any], area: AffectedArea
) -> None:
    """The person chose an area: redraw the modal suggesting the incident that affects it.

    Slack keeps what the person already typed in inputs whose ids stay the same.
    """
    raw = view.get("private_metadata")
    metadata = FilingMetadata.loads(raw if isinstance(raw, str) else None)
    fresh = filing_view(
        deps, route=metadata.route, prefill=FilingPrefill(area=area), metadata=metadata
    )
    try:
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=fresh)
    except SlackApiError as error:
        # A newer edit of the modal won (hash_conflict), or it was closed: nothing to do.
        log.info("the filing modal was not redrawn: %s", _code(error))


def confirm_filed(
    deps: SlackDeps,
    client: WebClient,
    request: Request,
    *,
    requester_id: str,
    metadata: FilingMetadata,
) -> None:
    """Tell the requester where the request went, and its origin conversation if known."""
    # A request filed from a shared channel links the customer's thread, never the card.
    permalink = deps.messenger.permalink(request.customer_thread or request.conversation)
    message = filing_confirmation(request, permalink=permalink)
    try:
        client.chat_postMessage(channel=requester_id, text=message.text, blocks=message.blocks)
    except SlackApiError as error:
        # Some people cannot get a DM from the app (e.g. in Slack Connect): tell them where
        # they filed instead. The request itself is filed; this is no reason to apologise.
        log.warning("no DM for %s about %s: %s", requester_id, request.key, _code(error))
        if metadata.origin_channel_id:
            client.chat_postEphemeral(
                channel=metadata.origin_channel_id,
                user=requester_id,
                text=message.text,
                blocks=message.blocks,
            )
    if metadata.origin_channel_id and metadata.origin_thread_ts:
        _note_in_origin(client, request, metadata.origin_channel_id, metadata.origin_thread_ts)


def _note_in_origin(client: WebClient, request: Request, channel_id: str, thread_ts: str) -> None:
    """One issue per conversation: where the issue raised here went."""
    try:
        client.chat_postMessage(
            channel=channel_id,
            thread_ts=thread_ts,
            text=f"Filed separately as {request.key}, with its own conversation.",
        )
    except SlackApiError as error:
        log.warning("no note about %s in %s: %s", request.key, channel_id, _code(error))


def _code(error: SlackApiError) -> object:
    return error.response.get("error") if error.response is not None else error
