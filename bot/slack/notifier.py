"""The one module that sends to Slack on behalf of the services (the Messenger port)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.db.models import SupportRequest
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.services.desk import Routing
from bot.services.ports import ConversationRef
from bot.slack.phrases import due_phrase
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.messages import escalation_post, request_root, status_change_note

log = logging.getLogger(__name__)

# Publishes the App Home of the given people (bot/slack/home_refresh.HomePublisher.publish).
HomeRefresher = Callable[[Iterable[str]], None]


class SlackMessenger:
    """Posts and updates request conversations with the bot token's client."""

    def __init__(
        self, *, client: WebClient, routing: Routing, clock: Clock, policy: SlaPolicy
    ) -> None:
        self.client = client
        self.routing = routing
        self.clock = clock
        self.policy = policy
        self._home_refresher: HomeRefresher | None = None

    def publish(self, request: SupportRequest) -> ConversationRef:
        channel = self.routing.channel_for(_priority(request))
        message = self._root(request)
        response = self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
        )
        self.refresh_homes(_people(request))
        return ConversationRef(channel_id=str(response["channel"]), ts=str(response["ts"]))

    def refresh(self, request: SupportRequest) -> None:
        """Update the root message, then the Home tabs of the requester and the assignee."""
        try:
            if request.slack_channel_id and request.thread_ts:
                message = self._root(request)
                self.client.chat_update(
                    channel=request.slack_channel_id,
                    ts=request.thread_ts,
                    text=message.text,
                    blocks=message.blocks,
                )
        finally:
            self.refresh_homes(_people(request))

    def watch_homes(self, refresher: HomeRefresher) -> None:
        """Have `refresh` and `publish` also republish the Homes of the people concerned."""
        self._home_refresher = refresher

    def refresh_homes(self, user_ids: Iterable[str]) -> None:
        """Republish these people's App Home tabs; never fails the change that caused it."""
        if self._home_refresher is None:
            return
        try:
            self._home_refresher(user_ids)
        except Exception:
            # The Home is a view of the desk: a failure here must not undo or hide the
            # change itself, and the next app_home_opened draws it afresh.
            log.warning("could not refresh App Home tabs", exc_info=True)

    def note(self, request: SupportRequest, text: str) -> None:
        self.post_in_thread(request, status_change_note(request, text=text))

    def post_in_thread(self, request: SupportRequest, message: Message) -> str | None:
        """Reply in the request's conversation; returns the reply's ts."""
        if not request.slack_channel_id or not request.thread_ts:
            log.warning("%s has no conversation yet; note dropped", request.key)
            return None
        response = self.client.chat_postMessage(
            channel=request.slack_channel_id,
            thread_ts=request.thread_ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
        )
        return str(response["ts"])

    def permalink(self, request: SupportRequest) -> str | None:
        if not request.slack_channel_id or not request.thread_ts:
            return None
        try:
            response = self.client.chat_getPermalink(
                channel=request.slack_channel_id, message_ts=request.thread_ts
            )
        except SlackApiError as error:
            log.warning("no permalink for %s: %s", request.key, error.response.get("error"))
            return None
        return str(response["permalink"])

    def escalate(self, request: SupportRequest, *, reason: str, actor_id: str | None) -> None:
        message = escalation_post(
            request, permalink=self.permalink(request), reason=reason, actor_id=actor_id
        )
        self.client.chat_postMessage(
            channel=self.routing.escalation_channel_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
        )

    def _root(self, request: SupportRequest) -> Message:
        priority = _priority(request)
        mention = self.routing.oncall_group_id if priority is Priority.CRITICAL else None
        return request_root(
            request,
            due_phrase=due_phrase(request, policy=self.policy, now=self.clock.now()),
            oncall_group_id=mention,
        )


def _priority(request: SupportRequest) -> Priority:
    return Priority(request.priority)


def _people(request: SupportRequest) -> list[str]:
    """Whose Home shows the request directly: its requester and its assignee."""
    return [user_id for user_id in (request.requester_id, request.assignee_id) if user_id]
