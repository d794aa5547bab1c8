"""The SLA matrix: first-response and resolution due instants, reminders and their wording.

Low, Medium and High count open business time on the calendar; Critical counts wall time.
A request created while the desk is closed starts its business clock at the next opening.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pendulum
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar, plain_delta, wall_time
from bot.domain.requests import Priority
from bot.domain.sla_explanation import DueExplanation, DueSpan, SlaClock
from bot.domain.sla_terms import (
    CRITICAL_UPDATE_INTERVAL,
    DEFAULT_REMINDER_FRACTIONS,
    FIRST_RESPONSE_TARGETS,
    RESOLUTION_TARGET,
    SlaTerms,
)

__all__ = [
    "CRITICAL_UPDATE_INTERVAL",
    "DEFAULT_REMINDER_FRACTIONS",
    "FIRST_RESPONSE_TARGETS",
    "RESOLUTION_TARGET",
    "DueExplanation",
    "DueSpan",
    "SlaClock",
    "SlaPolicy",
    "SlaTerms",
    "clock_for",
    "format_duration",
    "local_due",
    "target_phrase",
]

MAX_PHRASE_LENGTH = 75


def clock_for(priority: Priority) -> SlaClock:
    """Critical runs on the wall clock (24/7 on-call); the rest on business time."""
    return SlaClock.WALL if priority is Priority.CRITICAL else SlaClock.BUSINESS


def _check_fraction(fraction: float) -> None:
    if not fraction >= 0:  # also refuses NaN
        raise ValueError(f"a target fraction must be 0 or more, got {fraction}")


def _utc(at: datetime) -> DateTime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"instant {at.isoformat()} has no timezone; give an aware datetime")
    return pendulum.instance(at).in_timezone("UTC")


class SlaPolicy:
    """The support policy's targets applied on one business calendar."""

    def __init__(
        self,
        calendar: BusinessCalendar,
        reminder_fractions: Sequence[float] = DEFAULT_REMINDER_FRACTIONS,
        *,
        terms: SlaTerms | None = None,
    ) -> None:
        self._calendar = calendar
        self._terms = terms or SlaTerms(reminder_fractions=tuple(reminder_fractions))
        self._fractions = self._terms.reminder_fractions

    @property
    def calendar(self) -> BusinessCalendar:
        return self._calendar

    @property
    def terms(self) -> SlaTerms:
        """The targets and fractions new requests are filed under."""
        return self._terms

    @property
    def reminder_fractions(self) -> tuple[float, ...]:
        return self._fractions

    def under(self, terms: SlaTerms) -> SlaPolicy:
        """The same live calendar with a request's own terms (those of its filing)."""
        return self if terms == self._terms else SlaPolicy(self._calendar, terms=terms)

    def open_at(self, at: datetime) -> bool:
        """Whether the desk is open at `at`."""
        return self._calendar.is_open(at)

    def first_response_due(self, priority: Priority, created_at: datetime) -> DateTime:
        """When the first response is due (UTC)."""
        return self.fraction_instant(priority, created_at, 1.0)

    def fraction_instant(
        self, priority: Priority, created_at: datetime, fraction: float
    ) -> DateTime:
        """When `fraction` of the first-response target has run, on the priority's clock."""
        _check_fraction(fraction)
        amount = self._terms.first_response[priority] * fraction
        if clock_for(priority) is SlaClock.WALL:
            return _utc(created_at) + amount
        return self._calendar.add(created_at, amount)

    def reminder_instants(
        self, priority: Priority, created_at: datetime
    ) -> list[tuple[float, DateTime]]:
        """The reminder pings before the first-response due, as (fraction, instant)."""
        return [(f, self.fraction_instant(priority, created_at, f)) for f in self._fractions]

    def remaining(self, priority: Priority, created_at: datetime, now: datetime) -> timedelta:
        """Time left on the priority's clock; negative once overdue.

        On the business clock the overdue amount is business time, so it stays put while the
        desk is closed (it is zero between a due at Friday's close and Sunday's opening);
        decide a breach by comparing `now` with `first_response_due`.
        """
        target = self._terms.first_response[priority]
        if clock_for(priority) is SlaClock.WALL:
            return wall_time(now, _utc(created_at) + target)
        return target - self._calendar.elapsed(created_at, now)

    def resolution_due(self, created_at: datetime, paused: timedelta = timedelta(0)) -> DateTime:
        """96 h of business time from creation, pushed back by `paused` business time."""
        return self.resolution_fraction_instant(created_at, 1.0, paused)

    def resolution_fraction_instant(
        self, created_at: datetime, fraction: float, paused: timedelta = timedelta(0)
    ) -> DateTime:
        """When `fraction` of the resolution target has run, after `paused` business time."""
        _check_fraction(fraction)
        if paused < timedelta(0):
            raise ValueError(f"paused time cannot be negative ({paused})")
        return self._calendar.add(created_at, self._terms.resolution * fraction + paused)

    def explain_due(self, priority: Priority, created_at: datetime) -> DueExplanation:
        """The first-response due with how it was reached: clock, start, intervals counted."""
        created = _utc(created_at)
        clock = clock_for(priority)
        due = self.first_response_due(priority, created)
        tz = self._calendar.timezone
        spans: tuple[DueSpan, ...]
        if clock is SlaClock.WALL:
            starts, spans = created, (DueSpan(created, due, tz),)
        else:
            starts = self._calendar.next_opening(created)
            spans = tuple(DueSpan(s, e, tz) for s, e in self._calendar.open_intervals(created, due))
        return DueExplanation(
            priority=priority,
            created_at=created,
            due_at=due,
            clock=clock,
            target=self._terms.first_response[priority],
            open_at_creation=self._calendar.is_open(created),
            clock_starts_at=starts,
            intervals=spans,
            timezone=tz,
        )


def _target_words(amount: timedelta) -> str:
    """'1 hour', '4 hours', '15 minutes': the wording of a whole target."""
    minutes = int(amount // timedelta(minutes=1))
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def target_phrase(
    priority: Priority,
    now: datetime,
    calendar: BusinessCalendar,
    *,
    target: timedelta | None = None,
) -> str:
    """The first-response target of a request filed at `now`, at most 75 characters.

    A target the desk's hours leave alone reads as a duration; one that starts while the
    desk is closed or crosses a closing names its real due instant in the desk's timezone.
    """
    amount = FIRST_RESPONSE_TARGETS[priority] if target is None else target
    if clock_for(priority) is SlaClock.WALL:
        return f"first response within {_target_words(amount)}, 24/7"
    due = calendar.add(now, amount)
    if due == _utc(now) + amount:
        return f"first response within {_target_words(amount)}"
    return f"by {local_due(due, now=now, calendar=calendar)}"[:MAX_PHRASE_LENGTH]


def local_due(due: datetime, *, now: datetime, calendar: BusinessCalendar) -> str:
    """'Sun 9:40 PM EST' in the calendar's timezone; beyond a week also the date."""
    local = calendar.local(due)
    # Within a week the weekday alone is unambiguous; beyond (long holidays) add the date.
    near = wall_time(now, due) < timedelta(days=6)
    shown = local.format("ddd h:mm A" if near else "ddd MMM D, h:mm A")
    return f"{shown} {local.tzname()}"


def format_duration(amount: timedelta) -> str:
    """Short human duration: '45 min', '1 h 05 min', '2 d 3 h' ('-' when negative)."""
    amount = plain_delta(amount)
    sign = "-" if amount < timedelta(0) else ""
    seconds = abs(amount) // timedelta(seconds=1)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        body = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        body = f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    elif minutes:
        body = f"{minutes} min"
    else:
        body = f"{seconds} s"
    return sign + body
