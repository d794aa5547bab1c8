"""Why a request is due when it is: the value the `sla` CLI renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from pendulum import DateTime

from bot.domain.calendar import wall_time
from bot.domain.requests import Priority


class SlaClock(StrEnum):
    """Which clock a target runs on."""

    BUSINESS = "business"
    WALL = "wall"


@dataclass(frozen=True)
class DueSpan:
    """One stretch of time that counted towards a target, as UTC instants."""

    start: DateTime
    end: DateTime
    timezone: str

    @property
    def start_local(self) -> DateTime:
        return self.start.in_timezone(self.timezone)

    @property
    def end_local(self) -> DateTime:
        return self.end.in_timezone(self.timezone)

    @property
    def length(self) -> timedelta:
        return wall_time(self.start, self.end)


@dataclass(frozen=True)
class DueExplanation:
    """A first-response due instant with the facts that produced it (instants in UTC)."""

    priority: Priority
    created_at: DateTime
    due_at: DateTime
    clock: SlaClock
    target: timedelta
    open_at_creation: bool
    clock_starts_at: DateTime
    intervals: tuple[DueSpan, ...]
    timezone: str

    @property
    def created_local(self) -> DateTime:
        return self.created_at.in_timezone(self.timezone)

    @property
    def due_local(self) -> DateTime:
        return self.due_at.in_timezone(self.timezone)

    @property
    def clock_starts_local(self) -> DateTime:
        return self.clock_starts_at.in_timezone(self.timezone)
