"""What the SLA report keeps beside each request so a database can sum the report.

Business time is calendar arithmetic that SQL cannot do, so the parts of `facts_of`
(bot.domain.report) that need it are worked out once per request and stored with it. None of
them depends on the instant a report is taken at; what does (is an unanswered request past
its due, is an open one past 4 business days) is then one comparison SQL can make:

- `response_business_seconds`, `response_wall_seconds`: creation to first response (None
  while unanswered), the values the report's medians and 90th percentiles are taken over.
- `resolution_seconds`: the resolution time at `resolved_at` (None while unresolved); the
  request resolved within target when it is at most RESOLUTION_TARGET.
- `past_target_at`: for a request whose clock still runs, the last instant at which its
  resolution time is within target (`now` after it: past target). None when it never
  passes: waiting on the customer with time to spare.

They hold for the request's first response, resolution and pause as they were worked out
from (`StoredFacts.basis`) and for one calendar (`calendar_fingerprint`): a change of either
makes them stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar, wall_time
from bot.domain.requests import RequestStatus
from bot.domain.sla_terms import RESOLUTION_TARGET

RESOLUTION_TARGET_SECONDS = RESOLUTION_TARGET.total_seconds()


class ClockInputs(Protocol):
    """The columns the stored facts are worked out from."""

    @property
    def status(self) -> RequestStatus: ...

    @property
    def created_at(self) -> DateTime: ...

    @property
    def first_responded_at(self) -> DateTime | None: ...

    @property
    def resolved_at(self) -> DateTime | None: ...

    @property
    def resolution_paused_since(self) -> DateTime | None: ...

    @property
    def resolution_paused_seconds(self) -> int: ...


@dataclass(frozen=True)
class StoredFacts:
    """A request's calendar-dependent report facts (see the module docstring)."""

    response_business_seconds: float | None
    response_wall_seconds: float | None
    resolution_seconds: float | None
    past_target_at: DateTime | None


def stored_facts(request: ClockInputs, *, calendar: BusinessCalendar) -> StoredFacts:
    """Work out the facts of one request on `calendar`."""
    responded, resolved = request.first_responded_at, request.resolved_at
    business = wall = resolution = None
    if responded is not None:
        business = calendar.elapsed(request.created_at, responded).total_seconds()
        wall = wall_time(request.created_at, responded).total_seconds()
    if resolved is not None:
        resolution = resolution_time(request, calendar=calendar, end=resolved).total_seconds()
    # The clock runs until `now` for an open request (or one closed without an instant).
    runs = request.status.is_open or resolved is None
    past = _past_target_at(request, calendar=calendar) if runs else None
    return StoredFacts(business, wall, resolution, past)


def _past_target_at(request: ClockInputs, *, calendar: BusinessCalendar) -> DateTime | None:
    paused = request.resolution_paused_since
    if paused is not None:
        # A running pause freezes the clock at its value when the pause began.
        frozen = resolution_time(request, calendar=calendar, end=paused)
        if frozen <= RESOLUTION_TARGET:
            return None
    allowance = RESOLUTION_TARGET + timedelta(seconds=request.resolution_paused_seconds)
    # Open time stops at a closing instant, so the clock is still within target until the
    # next opening; inside an open interval it passes the target at once.
    return calendar.next_opening(calendar.add(request.created_at, allowance))


def resolution_time(
    request: ClockInputs, *, calendar: BusinessCalendar, end: DateTime
) -> timedelta:
    """Business time on the resolution clock from creation to `end`, pauses taken out."""
    paused = timedelta(seconds=request.resolution_paused_seconds)
    if request.resolution_paused_since is not None:
        # A pause still running has not been added to resolution_paused_seconds yet.
        paused += calendar.elapsed(request.resolution_paused_since, end)
    return calendar.elapsed(request.created_at, end) - paused


def calendar_fingerprint(calendar: BusinessCalendar) -> str:
    """A short, stable digest of the timezone, weekly hours and holidays."""
    holidays = ",".join(sorted(day.isoformat() for day in calendar.holidays))
    hours = ",".join(str(weekly) for weekly in calendar.weekly)
    text = f"{calendar.timezone}|{hours}|{holidays}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
