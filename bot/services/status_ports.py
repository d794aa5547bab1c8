"""What the status use cases need from outside: the vendor's feed and the desk's channels.

`bot/status/feed.py` reads the feed over HTTP; `bot/slack/status_messenger.py` and
`bot/slack/outage_messenger.py` post to Slack; tests swap in fakes. A Slack failure raises
`DeliveryFailed` (bot/services/ports.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain.incidents import Incident, IncidentUpdate
from bot.domain.model import ConversationRef, Request
from bot.domain.outages import OutageSummary


class FeedFault(StrEnum):
    """Why a poll of the feed gave nothing the desk can use (the metrics' outcomes)."""

    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    NETWORK = "network"
    INVALID = "invalid"
    EMPTY = "empty"


class FeedProblem(Exception):
    """The feed cannot be trusted this time; `reason` is one line for the log."""

    def __init__(self, fault: FeedFault, reason: str) -> None:
        super().__init__(f"{fault}: {reason}")
        self.fault = fault
        self.reason = reason


@dataclass(frozen=True)
class FeedSnapshot:
    """Both listings of one poll; `unchanged` when the feed answered 304 to both."""

    recent: tuple[Incident, ...]
    unresolved: tuple[Incident, ...]
    unchanged: bool = False


class StatusFeed(Protocol):
    """The vendor's Statuspage-compatible feed."""

    def fetch(self) -> FeedSnapshot:
        """Read incidents.json and unresolved.json; FeedProblem when either fails."""

    def close(self) -> None:
        """Let go of connections (the poller stopped)."""


class StatusAnnouncer(Protocol):
    """Tells the support channel about vendor incidents (raises DeliveryFailed)."""

    def announce(self, incident: Incident) -> ConversationRef:
        """Post the incident's announcement; where it was posted."""

    def refresh(self, incident: Incident, message: ConversationRef) -> None:
        """Edit the announcement in place to show the incident as it is now."""

    def reply(self, incident: Incident, update: IncidentUpdate, message: ConversationRef) -> str:
        """Post an update in the announcement's thread; the reply's ts."""


class OutageBoard(Protocol):
    """The on-call channel's outage summaries, and linked conversations (raise DeliveryFailed)."""

    def post_summary(self, summary: OutageSummary) -> ConversationRef:
        """Post the outage's summary in the on-call channel; where it was posted."""

    def edit_summary(self, summary: OutageSummary, message: ConversationRef) -> None:
        """Edit the summary in place to show the outage as it is now."""

    def tell_resolved(self, request: Request, incident: Incident) -> str | None:
        """Tell the request's conversation its incident is resolved; the note's ts (None: no
        conversation yet)."""
