"""Builds and starts the status poller when STATUS_PAGE_URL is set (called by bot/runtime.py)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings
from bot.db.engine import Database
from bot.services.status_ports import OutageBoard
from bot.slack.pacing import ChannelPacer
from bot.slack.status_messenger import SlackStatusAnnouncer
from bot.status.feed import StatuspageFeed
from bot.status.poller import StatusPoller


def start_status_poller(
    settings: Settings, db: Database, client: WebClient, *, board: OutageBoard | None = None
) -> StatusPoller | None:
    """The running poller announcing in the support channel; None when the feature is off.

    `board` tells linked requests when their incident resolves, and keeps the on-call
    channel's outage summaries current.
    """
    if settings.status_page_url is None:
        return None
    poller = StatusPoller(
        db=db,
        feed=StatuspageFeed(settings.status_page_url),
        announcer=SlackStatusAnnouncer(
            client=client,
            channel_id=settings.support_channel_id or "",
            pacer=ChannelPacer(
                db,
                interval=settings.channel_pace_seconds,
                workspace_per_minute=settings.workspace_posts_per_minute,
            ),
        ),
        interval=settings.status_poll_seconds,
        board=board,
    )
    poller.start()
    return poller
