"""Notices: what the timers have the desk say, handed to a sender that speaks Slack."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pendulum import DateTime

from bot.db.models import SupportRequest


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    BREACH = "breach"
    UPDATE_DUE = "update_due"
    RESOLUTION_REMINDER = "resolution_reminder"
    RESOLUTION_BREACH = "resolution_breach"
    BREACH_ESCALATION = "breach_escalation"
    RESOLUTION_ESCALATION = "resolution_escalation"
    PUBLISH_CONVERSATION = "publish_conversation"

    @property
    def to_escalation_channel(self) -> bool:
        """Escalations go to the escalation channel, the rest into the conversation."""
        return self in (NoticeKind.BREACH_ESCALATION, NoticeKind.RESOLUTION_ESCALATION)

    @property
    def opens_conversation(self) -> bool:
        """Posts the request's root message in the channel its impact routes to."""
        return self is NoticeKind.PUBLISH_CONVERSATION


@dataclass(frozen=True)
class Notice:
    """One thing to say in one request's conversation, on behalf of one or more timers."""

    kind: NoticeKind
    request: SupportRequest
    timer_ids: tuple[int, ...]
    due_at: DateTime
    fraction: float | None = None


class DeliveryFailed(Exception):
    """A notice could not be delivered; `permanent` means retrying will not help.

    `retry_after` is Slack's Retry-After (seconds) when it answered 429.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Delivery:
    """What happened to one notice: delivered, or the reason it was not."""

    notice: Notice
    error: DeliveryFailed | None = None


class Ledger(Protocol):
    """The tick's record: a sender asks it just before each send and tells it right after.

    Checking the claim just before a send keeps a notice another replica took over (after
    this one's lease ran out) from going out twice; recording right after each send means
    a crash repeats at most the message that was in flight.
    """

    def still_ours(self, notices: Sequence[Notice]) -> list[Notice]:
        """Renew the claims behind `notices`; the ones this worker may still send."""

    def record(self, deliveries: Sequence[Delivery]) -> None:
        """Record what happened to notices just sent (done, retry later, or failed)."""


class NoticeSender(Protocol):
    """Delivers a tick's notices: paced per channel, combined into digests when many."""

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        """Send each notice the ledger says is still ours, recording each outcome at once."""
