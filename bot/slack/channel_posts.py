"""Top-level posts the app keeps current: post one in its channel's turn, edit it in place."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.model import ConversationRef
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.blocks import Message


def post_in_turn(
    client: WebClient, pacer: ChannelPacer, channel_id: str, message: Message
) -> ConversationRef:
    """Post `message` at the top of the channel when its turn comes; where it landed."""
    with pacer.turn(channel_id):
        response = client.chat_postMessage(
            channel=channel_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
    return ConversationRef(channel_id=str(response["channel"]), ts=str(response["ts"]))


def edit_in_place(client: WebClient, ref: ConversationRef, message: Message) -> None:
    """Rewrite a message the app posted earlier."""
    client.chat_update(channel=ref.channel_id, ts=ref.ts, text=message.text, blocks=message.blocks)
