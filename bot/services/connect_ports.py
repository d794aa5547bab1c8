"""What intake in Slack Connect channels says in Slack, as a small interface.

`bot/slack/shared_messenger.py` implements it; tests swap in a fake. Every method raises
`DeliveryFailed` (bot/services/ports.py) when Slack fails.
"""

from __future__ import annotations

from typing import Protocol

from bot.domain.model import Request
from bot.domain.shared_prompts import PromptOffer, SharedPrompt


class SharedChannels(Protocol):
    """The app's words in customers' shared channels, and the desk's notice about others."""

    def offer_impacts(self, prompt: SharedPrompt, offer: PromptOffer) -> str:
        """Post the impact prompt in the thread of the customer's message; the prompt's ts.

        An offer that files at once shows no choice: it says the request is filed at Medium
        through the email route, and why."""

    def tell_filed(self, prompt: SharedPrompt, request: Request, offer: PromptOffer) -> str:
        """Say what the message was filed as (and why at Medium by email, when so): the
        prompt is edited in place, or the answer posted in the thread when there is none."""

    def close_prompt(self, prompt: SharedPrompt) -> None:
        """Quietly take the choices off a prompt nobody answered in time."""

    def post_help(self, channel_id: str) -> str:
        """Post the "Need help?" message with its button at the top of the channel; its ts."""

    def pin(self, channel_id: str, message_ts: str) -> None:
        """Pin the help message (one already pinned is fine)."""

    def notice_unmapped(self, channel_id: str, team_id: str | None) -> None:
        """Tell the support channel that a shared channel belongs to no account."""
