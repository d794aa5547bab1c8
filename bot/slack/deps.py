"""What the listeners need, handed to each `register(app, deps)`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.desk import Desk
from bot.slack.directory import SlackDirectory
from bot.slack.home_refresh import HomePublisher
from bot.slack.messenger import SlackMessenger


@dataclass(frozen=True)
class SlackDeps:
    """The desk plus the Slack-side settings listeners decide with."""

    desk: Desk
    messenger: SlackMessenger
    directory: SlackDirectory
    homes: HomePublisher
    plan_tier: str
    support_email: str
    bot_user_id: str | None = None
