"""The one module that sends to Slack on behalf of the services (the `Messenger` port).

Every port method raises `DeliveryFailed` when Slack fails (bot/slack/errors.py), so the
services decide about retries without knowing Slack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from pendulum import DateTime
from slack_sdk import WebClient

from bot.clock import Clock
from bot.domain.accounts import Account
from bot.domain.changes import ChangeNote, CustomerNote
from bot.domain.model import ConversationRef, Request
from bot.domain.outages import mentions_oncall
from bot.domain.sla import SlaPolicy
from bot.services.desk import Routing
from bot.services.ports import ChannelBusy
from bot.services.status_queries import RequestOutage
from bot.slack.customer_thread import (
    SharedChannelGuard,
    SharedLookup,
    display_name,
    post_customer_note,
)
from bot.slack.errors import SLACK_ERRORS, as_delivery_failures, delivering
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.changes import change_note, moved_note
from bot.slack.surfaces.customer_notes import customer_note
from bot.slack.surfaces.messages import escalation_post, request_root
from bot.slack.surfaces.notices import superseded_ping
from bot.slack.surfaces.requester_notes import conversation_opened

log = logging.getLogger(__name__)

# How long a filing waits for a free slot in its channel (and in the workspace budget) before
# leaving the root message to the scheduler: short enough that the requester is still
# answered within a few seconds.
ROOT_PATIENCE = 2.0

# Publishes the App Home of the given people (bot/slack/home_refresh.HomePublisher.publish).
HomeRefresher = Callable[[Iterable[str]], None]
# The vendor incident a request's root shows (bot/services/status_queries.request_outage).
OutageLookup = Callable[[Request], RequestOutage]
# The customer account of this id (bot/services/accounts.account_by_id).
AccountLookup = Callable[[int], Account | None]


class SlackMessenger:
    """Posts and updates request conversations with the bot token's client."""

    def __init__(
        self,
        *,
        client: WebClient,
        routing: Routing,
        clock: Clock,
        policy: SlaPolicy,
        pacer: ChannelPacer,
        homes: HomeRefresher | None = None,
        outages: OutageLookup | None = None,
        accounts: AccountLookup | None = None,
        shared: SharedLookup | None = None,
    ) -> None:
        self.client = client
        self.routing = routing
        self.clock = clock
        self.policy = policy
        self.pacer = pacer
        self._homes = homes
        self._outages = outages  # set while STATUS_PAGE_URL is
        self._accounts = accounts
        # Nothing internal ever goes to a shared channel (§11): every post passes the guard.
        self.guard = SharedChannelGuard(shared)

    @delivering
    def publish(self, request: Request, *, paced: bool = False) -> ConversationRef:
        """Post the root message where the request's impact routes it.

        `paced` waits for the channel's turn (the scheduler's backlog). A post made while
        someone waits for it (filing, a move) goes at once if the channel's slot and a
        workspace slot are free, and otherwise raises `ChannelBusy` so the requester is
        answered now and the root follows.
        """
        channel = self.routing.channel_for(request.priority)
        self.guard.check(channel, request)
        message = self.root(request)
        if not paced and (wait := self.pacer.wait_for_slot(channel, patience=ROOT_PATIENCE)) > 0:
            # Someone is posting here (a burst): the scheduler posts this one in turn.
            raise ChannelBusy(f"{channel} is busy", retry_after=wait)
        with self.pacer.turn(channel) if paced else nullcontext():
            response = self.client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
            )
        self.refresh_homes(_people(request))
        return ConversationRef(channel_id=str(response["channel"]), ts=str(response["ts"]))

    def refresh(self, request: Request) -> None:
        """Update the root message, then the Home tabs of the requester and the assignee."""
        try:
            ref = request.conversation
            if ref is not None:
                self.guard.check(ref.channel_id, request)
                message = self.root(request)
                with as_delivery_failures():
                    self.client.chat_update(
                        channel=ref.channel_id, ts=ref.ts, text=message.text, blocks=message.blocks
                    )
        finally:
            self.refresh_homes(_people(request))

    def refresh_homes(self, user_ids: Iterable[str]) -> None:
        """Republish these people's App Home tabs; never fails the change that caused it."""
        if self._homes is None:
            return
        try:
            self._homes(user_ids)
        except Exception:
            # The Home is a view of the desk: a failure here must not undo or hide the
            # change itself, and the next app_home_opened draws it afresh.
            log.warning("could not refresh App Home tabs", exc_info=True)

    @delivering
    def say(self, request: Request, note: ChangeNote) -> None:
        self.post_in_thread(request, change_note(request, note))

    @delivering
    def tell_customer(self, request: Request, note: CustomerNote) -> None:
        """The one post that may go to a shared channel: a customer note in their thread."""
        thread = request.customer_thread
        if thread is None:
            return
        message = customer_note(request, note, name=display_name(self.client, note.actor_id))
        post_customer_note(self.client, self.pacer, thread, message)

    @delivering
    def conversation_opened(self, request: Request) -> None:
        message = conversation_opened(request, permalink=self.permalink(request.conversation))
        self.client.chat_postMessage(
            channel=request.requester_id, text=message.text, blocks=message.blocks
        )

    @delivering
    def conversation_moved(self, request: Request, *, old: ConversationRef) -> None:
        new = request.conversation
        if new is None:
            return
        raised = request.is_critical
        old_link, new_link = self.permalink(old), self.permalink(new)
        moved_from = moved_note(request, raised=raised, link=new_link, here_is_new=False)
        self._post_at(old, moved_from, request=request)
        moved_to = moved_note(request, raised=raised, link=old_link, here_is_new=True)
        self._post_at(new, moved_to, request=request)

    @delivering
    def supersede_ping(
        self, request: Request, ping: ConversationRef, *, answered_by: str | None, at: DateTime
    ) -> None:
        self.guard.check(ping.channel_id, request)
        message = superseded_ping(request, answered_by=answered_by, at=at)
        self.client.chat_update(
            channel=ping.channel_id, ts=ping.ts, text=message.text, blocks=message.blocks
        )

    @delivering
    def escalate(self, request: Request, *, reason: str, actor_id: str | None) -> None:
        self.guard.check(self.routing.escalation_channel_id, request)
        message = escalation_post(
            request,
            permalink=self.permalink(request.conversation),
            reason=reason,
            actor_id=actor_id,
        )
        self.client.chat_postMessage(
            channel=self.routing.escalation_channel_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
        )

    def post_in_thread(
        self, request: Request, message: Message, *, in_turn: bool = False
    ) -> str | None:
        """Reply in the request's conversation; returns the reply's ts (raises Slack's errors).

        `in_turn`: the caller already holds the channel's turn (the scheduler's sender).
        """
        ref = request.conversation
        if ref is None:
            log.warning("%s has no conversation yet; note dropped", request.key)
            return None
        return self._post_at(ref, message, paced=not in_turn, request=request)

    def post_to_channel(self, channel: str, message: Message) -> None:
        """A top-level post (digests); raises Slack's errors."""
        self.guard.check(channel)
        self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
        )

    def permalink(self, ref: ConversationRef | None) -> str | None:
        """A link to a thread's root message, if Slack can give one."""
        if ref is None:
            return None
        try:
            response = self.client.chat_getPermalink(channel=ref.channel_id, message_ts=ref.ts)
        except SLACK_ERRORS as error:
            log.warning("no permalink for %s: %s", ref, error)
            return None
        return str(response["permalink"])

    def root(self, request: Request) -> Message:
        """The request's root message: date tokens only, so it never goes stale."""
        outage = self._outages(request) if self._outages else RequestOutage(None)
        paged = mentions_oncall(request, outage.paged)
        account = None
        if self._accounts is not None and request.account_id is not None:
            account = self._accounts(request.account_id)
        return request_root(
            request,
            oncall_group_id=self.routing.oncall_group_id if paged else None,
            incident=outage.incident,
            merged=outage.paged is False,
            account=account,
            customer_link=self.permalink(request.customer_thread),
        )

    def _post_at(
        self,
        ref: ConversationRef,
        message: Message,
        *,
        paced: bool = True,
        request: Request | None = None,
    ) -> str:
        self.guard.check(ref.channel_id, request)
        if paced:
            self.pacer.wait_for_slot(ref.channel_id)
        response = self.client.chat_postMessage(
            channel=ref.channel_id,
            thread_ts=ref.ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
        )
        return str(response["ts"])


def _people(request: Request) -> list[str]:
    """Whose Home shows the request directly: its requester and its assignee.

    A customer following the request in a shared channel is usually of another organisation,
    which cannot see this workspace's App Home: they are told in their thread instead.
    """
    requester = None if request.customer_thread is not None else request.requester_id
    return [user_id for user_id in (requester, request.assignee_id) if user_id]
