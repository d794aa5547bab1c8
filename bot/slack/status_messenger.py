"""Posts vendor incidents to the support channel (the `StatusAnnouncer` port).

Posts take the channel's turn like every other post of the desk (bot/slack/pacing.py);
Slack's failures leave as `DeliveryFailed`.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.incidents import Incident, IncidentUpdate
from bot.domain.model import ConversationRef
from bot.slack.channel_posts import edit_in_place, post_in_turn
from bot.slack.errors import delivering
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.incidents import incident_announcement, incident_update_reply


class SlackStatusAnnouncer:
    """Announces incidents in one channel and keeps the announcements current."""

    def __init__(self, *, client: WebClient, channel_id: str, pacer: ChannelPacer) -> None:
        self.client = client
        self.channel_id = channel_id
        self.pacer = pacer

    @delivering
    def announce(self, incident: Incident) -> ConversationRef:
        """Post the announcement; where it landed."""
        return post_in_turn(
            self.client, self.pacer, self.channel_id, incident_announcement(incident)
        )

    @delivering
    def refresh(self, incident: Incident, message: ConversationRef) -> None:
        """Edit the announcement in place to show the incident as it is now."""
        edit_in_place(self.client, message, incident_announcement(incident))

    @delivering
    def reply(self, incident: Incident, update: IncidentUpdate, message: ConversationRef) -> str:
        """Post a later update in the announcement's thread; the reply's ts."""
        reply = incident_update_reply(incident, update)
        with self.pacer.turn(message.channel_id):
            response = self.client.chat_postMessage(
                channel=message.channel_id,
                thread_ts=message.ts,
                text=reply.text,
                blocks=reply.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        return str(response["ts"])
