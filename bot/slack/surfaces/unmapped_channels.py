"""The support channel's notice about a shared channel no customer account maps (§11)."""

from __future__ import annotations

import re

from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import Message, context, section
from bot.slack.text import escape

_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")


def unmapped_notice(channel_id: str, team_id: str | None) -> Message:
    """Which channel, shared with whom, and the command that maps it to an account."""
    channel = labels.channel_ref(channel_id) or f"`{escape(channel_id)}`"
    team = team_id if team_id and _TEAM_ID.match(team_id) else None
    who = f"organisation `{team}`" if team else "another organisation"
    command = "python -m bot accounts add --name NAME --tier TIER"
    command += f" --channel {escape(channel_id)}"
    command += f" --team {team}" if team else ""
    text = (
        f":warning: {channel} is shared with {who} and not mapped to an account, so the app "
        f"says nothing to customers there. Map it with `{command}` "
        "(or add the channel to an existing account with `python -m bot accounts update`)."
    )
    return Message(
        text=f"A shared channel is not mapped to an account: {escape(channel_id)}.",
        blocks=[section(text), context("Told once per channel.")],
    )
