"""Filing from a shared channel (§11): a customer's message, its impact prompt, the pick.

A customer's top-level message gets one prompt, by the unique (channel, message) of
`shared_prompts`, whatever Slack retries and however many replicas hear it. An admin of an
Enterprise or Ultimate account picks an impact; anyone else is filed at once at Medium
through the email route. Either way the request keeps the message as its description and its
thread as the customer's conversation, and the prompt says what was filed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.domain.accounts import Account
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.shared_intake import DESCRIPTION_LIMIT, SUBJECT_LIMIT, request_words
from bot.domain.shared_prompts import (
    PickRefusal,
    PromptOffer,
    SharedPrompt,
    allowed_pick,
    offer_for,
    prompt_expiry,
)
from bot.services.connect_ports import SharedChannels
from bot.services.desk import Desk
from bot.services.filing import RequestDraft, file_request
from bot.services.ports import DeliveryFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CustomerMessage:
    """A customer's top-level message that starts a request (bot.domain.shared_intake)."""

    channel_id: str
    ts: str
    user_id: str
    team_id: str
    words: str  # what the person typed (Slack's escaping undone)


@dataclass(frozen=True)
class PromptCheck:
    """A click on a prompt: the prompt and its account, or why it does nothing."""

    prompt: SharedPrompt | None
    account: Account | None
    refusal: PickRefusal | None
    request: Request | None = None  # what was filed, when it already was


def take_message(
    desk: Desk, port: SharedChannels, *, message: CustomerMessage, account: Account
) -> SharedPrompt | None:
    """Answer the message once: the impact prompt, or why it is filed at Medium by email (and
    then file it at once).

    None when the message already has its prompt (a retry, another replica).
    """
    now = desk.clock.now()
    wanted = SharedPrompt(
        id=0,
        channel_id=message.channel_id,
        message_ts=message.ts,
        user_id=message.user_id,
        account_id=account.id,
        text=message.words[: DESCRIPTION_LIMIT + 1],  # one more: a longer one shows its cut
        created_at=now,
        expires_at=prompt_expiry(now),
        team_id=message.team_id,
    )
    with desk.db.unit_of_work() as uow:
        prompt = uow.shared.claim_prompt(wanted)
    if prompt is None:
        return None
    offer = offer_for(account, prompt.user_id)
    try:
        prompt = replace(prompt, prompt_ts=port.offer_impacts(prompt, offer))
    except DeliveryFailed as failure:
        # Without a prompt nothing is picked and it lapses quietly; a request filed at once
        # is still filed, and the answer is posted after it.
        log.warning("no impact prompt for %s:%s: %s", prompt.channel_id, prompt.message_ts, failure)
    else:
        with desk.db.unit_of_work() as uow:
            uow.shared.posted(prompt.id, prompt.prompt_ts or "")
    if offer.files_at_once:
        file_prompt(desk, port, prompt, offer=offer, priority=Priority.MEDIUM)
    return prompt


def check_prompt(desk: Desk, *, prompt_id: int, user_id: str) -> PromptCheck:
    """Whether this person's click on the prompt may file now (a pick, or the modal)."""
    with desk.db.unit_of_work() as uow:
        prompt = uow.shared.prompt(prompt_id)
        if prompt is None:
            return PromptCheck(None, None, PickRefusal.EXPIRED)
        refusal = prompt.refusal(user_id=user_id, now=desk.clock.now())
        filed = uow.requests.get(prompt.request_id) if prompt.request_id else None
        account = uow.accounts.by_id(prompt.account_id)
    if refusal is None and account is None:
        refusal = PickRefusal.UNMAPPED
    return PromptCheck(prompt, account, refusal, filed)


def pick_impact(
    desk: Desk, port: SharedChannels, *, prompt_id: int, user_id: str, priority: Priority
) -> PromptCheck:
    """The author picked an impact: file the message at it (or at what they may choose)."""
    check = check_prompt(desk, prompt_id=prompt_id, user_id=user_id)
    if check.refusal is not None or check.prompt is None or check.account is None:
        return check
    offer = offer_for(check.account, user_id)
    request = file_prompt(desk, port, check.prompt, offer=offer, priority=priority)
    return PromptCheck(check.prompt, check.account, None, request)


def file_prompt(
    desk: Desk,
    port: SharedChannels,
    prompt: SharedPrompt,
    *,
    offer: PromptOffer,
    priority: Priority,
) -> Request:
    """File the prompt's message with the account and the customer's thread, then say so."""
    route, priority = allowed_pick(offer, priority)
    subject, description = request_words(
        prompt.text, subject_limit=SUBJECT_LIMIT, description_limit=DESCRIPTION_LIMIT
    )
    draft = RequestDraft(
        team_id=prompt.team_id or "",
        requester_id=prompt.user_id,
        subject=subject,
        description=description,
        priority=priority,
        intake_channel=route,
        account_id=prompt.account_id,
        customer_channel_id=prompt.channel_id,
        customer_thread_ts=prompt.message_ts,
    )
    filed = file_request(desk, draft=draft, delivery_key=f"prompt:{prompt.id}")
    settle_prompt(desk, port, prompt, filed.request, offer=offer)
    return filed.request


def settle_prompt(
    desk: Desk,
    port: SharedChannels,
    prompt: SharedPrompt,
    request: Request,
    *,
    offer: PromptOffer,
) -> None:
    """The prompt's message is filed: the prompt offers nothing more and says what it became."""
    with desk.db.unit_of_work() as uow:
        uow.shared.filed(prompt.id, request.id, now=desk.clock.now())
    try:
        answer_ts = port.tell_filed(prompt, request, offer)
    except DeliveryFailed as failure:
        log.warning("the prompt of %s does not show it filed: %s", request.key, failure)
        return
    if prompt.prompt_ts is None:
        with desk.db.unit_of_work() as uow:
            uow.shared.posted(prompt.id, answer_ts)
