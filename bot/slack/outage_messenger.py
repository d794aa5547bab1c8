"""Posts what vendor outages mean for requests (the `OutageBoard` port).

The summary goes to the on-call channel and is edited in place; resolution notes go into
each linked request's conversation. Posts take the channel's turn (bot/slack/pacing.py);
Slack's failures leave as `DeliveryFailed`.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.incidents import Incident
from bot.domain.model import ConversationRef, Request
from bot.domain.outages import OutageSummary
from bot.slack.channel_posts import edit_in_place, post_in_turn
from bot.slack.errors import delivering
from bot.slack.messenger import SlackMessenger
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.outages import outage_summary, resolved_note


class SlackOutageBoard:
    """Keeps one summary per outage in the on-call channel and tells linked conversations."""

    def __init__(
        self, *, client: WebClient, channel_id: str, pacer: ChannelPacer, messenger: SlackMessenger
    ) -> None:
        self.client = client
        self.channel_id = channel_id
        self.pacer = pacer
        self.messenger = messenger

    @delivering
    def post_summary(self, summary: OutageSummary) -> ConversationRef:
        """Post the summary in the on-call channel; where it landed."""
        self.messenger.guard.check(self.channel_id)
        return post_in_turn(self.client, self.pacer, self.channel_id, outage_summary(summary))

    @delivering
    def edit_summary(self, summary: OutageSummary, message: ConversationRef) -> None:
        """Edit the summary in place: the requests so far, or the incident's end."""
        self.messenger.guard.check(message.channel_id)
        edit_in_place(self.client, message, outage_summary(summary))

    @delivering
    def tell_resolved(self, request: Request, incident: Incident) -> str | None:
        """The note in the request's conversation; its ts (None: no conversation yet)."""
        if request.conversation is None:
            return None
        return self.messenger.post_in_thread(request, resolved_note(request, incident))
