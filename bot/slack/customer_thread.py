"""Keeping a shared channel customer-facing (§11): the guard on internal posts, and the
customer's own notes.

A shared channel is seen by another organisation. Every post the messenger makes for the
desk passes `SharedChannelGuard.check` first: a post to the customer's thread's channel, or
to any channel an account maps, is refused. Only `post_customer_note` writes there, and
only the words of `bot.slack.surfaces.customer_notes`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.domain.model import ConversationRef, Request
from bot.services.ports import DeliveryFailed
from bot.slack.errors import SLACK_ERRORS
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.blocks import Message

log = logging.getLogger(__name__)

# Whether a channel belongs to a customer account (bot/services/accounts.account_for_channel).
SharedLookup = Callable[[str], bool]


class InternalPostRefused(DeliveryFailed):
    """An internal message was about to go to a shared channel: refused, never retried."""


class SharedChannelGuard:
    """Refuses the desk's internal posts to shared channels."""

    def __init__(self, is_shared: SharedLookup | None = None) -> None:
        self._is_shared = is_shared

    def check(self, channel_id: str, request: Request | None = None) -> None:
        """Raise `InternalPostRefused` when `channel_id` is a customer's shared channel."""
        own = request is not None and channel_id == request.customer_channel_id
        if own or (self._is_shared is not None and self._is_shared(channel_id)):
            key = request.key if request is not None else "-"
            log.error("refused an internal post to shared channel %s (%s)", channel_id, key)
            raise InternalPostRefused(
                f"internal post to shared channel {channel_id} refused", permanent=True
            )


def post_customer_note(
    client: WebClient, pacer: ChannelPacer, thread: ConversationRef, message: Message
) -> str:
    """Reply in the customer's thread once the channel has a slot; the reply's ts."""
    pacer.wait_for_slot(thread.channel_id)
    response = client.chat_postMessage(
        channel=thread.channel_id,
        thread_ts=thread.ts,
        text=message.text,
        blocks=message.blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    return str(response["ts"])


def display_name(client: WebClient, user_id: str | None) -> str | None:
    """How a desk member is named to a customer: their first name, else their display name.

    None when Slack does not say (the note then names the team, never a user id).
    """
    if not user_id:
        return None
    try:
        user = client.users_info(user=user_id)["user"]
    except SLACK_ERRORS as error:
        log.warning("no name for %s: %s", user_id, error)
        return None
    profile = user.get("profile") or {}
    real = str(profile.get("real_name") or user.get("real_name") or "").split()
    if real:
        return real[0]
    return str(profile.get("display_name") or "").strip() or None
