"""A filing-modal submission for a customer account (§11): its account, the customer's thread
and, for the desk's staff filing on the account's behalf, the customer they name.

From an impact prompt, the thread is the customer's message's own. From the pinned help
message or a command in the shared channel, the app first posts a top-level message there
whose thread becomes the customer's conversation, then files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.domain.model import ConversationRef, Request
from bot.domain.shared_prompts import SharedPrompt, offer_for
from bot.services.deliveries import first_delivery
from bot.services.filing import RequestDraft
from bot.services.shared_intake import check_prompt, settle_prompt
from bot.slack.channel_posts import edit_in_place
from bot.slack.deps import SlackDeps
from bot.slack.errors import SLACK_ERRORS
from bot.slack.filing_terms import FilingTerms
from bot.slack.forms import FilingMetadata
from bot.slack.ids import Field
from bot.slack.shared_messenger import shared_channels
from bot.slack.surfaces.shared_prompts import customer_thread_opener

log = logging.getLogger(__name__)

ID_MAX = 32  # the width of the id columns
NAME_MAX = 80  # Slack's limit for display names


@dataclass(frozen=True)
class AccountFiling:
    """The draft as the account files it, and where its customer thread came from."""

    draft: RequestDraft
    prompt: SharedPrompt | None = None
    opener: ConversationRef | None = None


def for_account(
    deps: SlackDeps,
    client: WebClient,
    draft: RequestDraft,
    *,
    terms: FilingTerms,
    metadata: FilingMetadata,
    values: dict[str, Any],
    view_id: str,
) -> AccountFiling:
    """The draft with its account, requester and customer thread (unchanged without one)."""
    if terms.account is None:
        return AccountFiling(draft)
    draft = draft.model_copy(update={"account_id": terms.account.id})
    if terms.on_behalf:
        draft = _named_requester(client, draft, values)
    prompt = None if terms.on_behalf else _own_prompt(deps, metadata, user_id=draft.requester_id)
    if prompt is not None:
        thread = ConversationRef(prompt.channel_id, prompt.message_ts)
        return AccountFiling(_in_thread(draft, thread), prompt=prompt)
    channel = metadata.origin_channel_id
    if not channel or channel not in terms.account.channel_ids:
        return AccountFiling(draft)
    if not first_delivery(deps.desk, key=f"opener:view:{view_id}", scope="filing"):
        return AccountFiling(draft)  # a repeated submission: the first one posted the thread
    opener = _open_thread(deps, client, channel, draft)
    if opener is None:
        return AccountFiling(draft)
    return AccountFiling(_in_thread(draft, opener), opener=opener)


def after_filing(
    deps: SlackDeps,
    client: WebClient,
    filing: AccountFiling,
    request: Request,
    *,
    terms: FilingTerms,
    submitter: str,
) -> None:
    """The prompt says what its message became; the opening post names its request."""
    if filing.prompt is not None and terms.account is not None:
        offer = offer_for(terms.account, submitter)
        port = shared_channels(deps, client)
        settle_prompt(deps.desk, port, filing.prompt, request, offer=offer)
    if filing.opener is not None:
        message = customer_thread_opener(
            subject=request.subject, requester_id=request.requester_id, key=request.key
        )
        try:
            edit_in_place(client, filing.opener, message)
        except SLACK_ERRORS as error:
            log.warning("the opening post of %s keeps no key: %s", request.key, error)


def _own_prompt(deps: SlackDeps, metadata: FilingMetadata, *, user_id: str) -> SharedPrompt | None:
    """The prompt the modal was opened from, if it answers this person's own message."""
    if metadata.prompt_id is None:
        return None
    prompt = check_prompt(deps.desk, prompt_id=metadata.prompt_id, user_id=user_id).prompt
    return prompt if prompt is not None and prompt.user_id == user_id else None


def _in_thread(draft: RequestDraft, thread: ConversationRef) -> RequestDraft:
    return draft.model_copy(
        update={"customer_channel_id": thread.channel_id, "customer_thread_ts": thread.ts}
    )


def _open_thread(
    deps: SlackDeps, client: WebClient, channel_id: str, draft: RequestDraft
) -> ConversationRef | None:
    """Post the request's top-level message in the shared channel; where it landed."""
    message = customer_thread_opener(subject=draft.subject, requester_id=draft.requester_id)
    try:
        deps.messenger.pacer.wait_for_slot(channel_id)
        response = client.chat_postMessage(
            channel=channel_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
    except SLACK_ERRORS as error:
        # Filed all the same: the request keeps its account and its triage card.
        log.warning("no customer thread in %s: %s", channel_id, error)
        return None
    return ConversationRef(str(response["channel"]), str(response["ts"]))


def _named_requester(
    client: WebClient, draft: RequestDraft, values: dict[str, Any]
) -> RequestDraft:
    """The customer the staff member named, with their name and team as Slack knows them."""
    block = values.get(Field.REQUESTER.value)
    state = block.get(Field.REQUESTER.value) if isinstance(block, dict) else None
    named = state.get("selected_user") if isinstance(state, dict) else None
    if not isinstance(named, str) or not 2 <= len(named) <= ID_MAX:
        return draft
    update: dict[str, Any] = {"requester_id": named, "requester_name": ""}
    try:
        user = client.users_info(user=named)["user"]
    except SLACK_ERRORS as error:
        log.warning("no name for requester %s: %s", named, error)
        return draft.model_copy(update=update)
    update["requester_name"] = str(user.get("name") or "")[:NAME_MAX]
    if isinstance(user.get("team_id"), str):
        update["team_id"] = user["team_id"][:ID_MAX]
    return draft.model_copy(update=update)
