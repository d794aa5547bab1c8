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

    @property
    def to_escalation_channel(self) -> bool:
        """Escalations go to the escalation channel, the rest into the conversation."""
        return self in (NoticeKind.BREACH_ESCALATION, NoticeKind.RESOLUTION_ESCALATION)


@dataclass(frozen=True)
class Notice:
    """One thing to say in one request's conversation, on behalf of one or more timers."""

    kind: NoticeKind
    request: SupportRequest
    timer_ids: tuple[int, ...]
    due_at: DateTime
    fraction: float | None = None


class DeliveryFailed(Exception):
    """A notice could not be delivered; `permanent` means retrying will not help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Delivery:
    """What happened to one notice: delivered, or the reason it was not."""

    notice: Notice
    error: DeliveryFailed | None = None


class NoticeSender(Protocol):
    """Delivers a tick's notices: paced per channel, combined into digests when many."""

    def send(self, notices: Sequence[Notice]) -> list[Delivery]: ...
