"""SLA reporting per priority: first responses on time, response times, breaches, resolution.

`build_report` is pure computation over requests; `load_report` reads them from the database.
Every request counts under its current priority. The JSON form (`SlaReport.to_json`) keeps
these field names stable:

    {"since": "2026-11-01" | null, "generated_at": "2026-11-18T20:00:00Z",
     "timezone": "America/New_York",
     "priorities": [{"priority": "low", <fields>}, ... medium, high, critical],
     "totals": {<fields>}}

Fields (all counts are integers; a percentage or time is null when nothing is measured):

- `filed`: requests created at or after local midnight of `since` in the business timezone
  (all requests without `since`); `load_report(until=...)` also leaves out later ones.
- `first_response_on_time`: answered by a support engineer at or before the due instant.
- `first_response_late`: answered after the due instant, or still unanswered once it has
  passed (judged at `generated_at`, or at `resolved_at` when resolved without an answer).
- `first_response_excluded`: unanswered and not late: not yet due, or resolved before its
  due without an answer. These stay out of the attainment.
- `attainment_pct`: on time / (on time + late) x 100, to one decimal.
- `median_first_response_business_seconds`, `p90_first_response_business_seconds`: over
  answered requests, the open business time from creation to the first response (the
  calendar's elapsed time, so nights and weekends do not count, even for Critical);
  `median_first_response_wall_seconds`, `p90_first_response_wall_seconds`: real time.
  Percentiles interpolate linearly between closest ranks (Excel's PERCENTILE.INC, numpy's
  default), rounded half up to whole seconds.
- `open_breaches`: requests not resolved whose first response was breached (`breached_at`).
- `resolved_within_target`, `resolved_late`: resolved requests never escalated to
  Development, by whether their resolution time (open business time from creation to
  resolution, less the business time spent waiting on the customer) is within 4 business
  days. This is `resolved_at <= resolution_due_at` with the last pause counted too.
- `unresolved_past_target`: open, not escalated to Development, already over 4 business days.
- `resolution_excluded_escalated`: requests escalated to Development, open or resolved.
- `resolution_attainment_pct`: within / (within + late + unresolved past target) x 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import pendulum
from pendulum import DateTime
from sqlalchemy.orm import defer
from sqlmodel import col, select

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.domain.calendar import BusinessCalendar, wall_time
from bot.domain.instants import as_instant, optional_instant
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import RESOLUTION_TARGET


class FirstResponse(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    EXCLUDED = "excluded"


class Resolution(StrEnum):
    WITHIN = "within"
    LATE = "late"
    PAST_TARGET = "past_target"
    RUNNING = "running"
    ESCALATED = "escalated"


@dataclass(frozen=True)
class RequestFacts:
    """What one request contributes to the report."""

    priority: Priority
    first_response: FirstResponse
    business: timedelta | None
    wall: timedelta | None
    open_breach: bool
    resolution: Resolution


@dataclass(frozen=True)
class Tally:
    """The report's numbers for one priority, or for all of them."""

    filed: int
    first_response_on_time: int
    first_response_late: int
    first_response_excluded: int
    attainment_pct: float | None
    median_first_response_business_seconds: int | None
    p90_first_response_business_seconds: int | None
    median_first_response_wall_seconds: int | None
    p90_first_response_wall_seconds: int | None
    open_breaches: int
    resolved_within_target: int
    resolved_late: int
    unresolved_past_target: int
    resolution_excluded_escalated: int
    resolution_attainment_pct: float | None


FIELD_NAMES = tuple(field.name for field in fields(Tally))


@dataclass(frozen=True)
class SlaReport:
    """Per-priority tallies (Low to Critical) and their totals."""

    since: date | None
    generated_at: DateTime
    timezone: str
    priorities: tuple[tuple[Priority, Tally], ...]
    totals: Tally

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form described in the module docstring."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "generated_at": self.generated_at.in_timezone("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": self.timezone,
            "priorities": [
                {"priority": priority.value, **asdict(tally)} for priority, tally in self.priorities
            ],
            "totals": asdict(self.totals),
        }


def since_instant(since: date, calendar: BusinessCalendar) -> DateTime:
    """Local midnight of `since` in the business timezone, as a UTC instant."""
    local = pendulum.datetime(since.year, since.month, since.day, tz=calendar.timezone)
    return local.in_timezone("UTC")


def load_report(
    db: Database,
    *,
    calendar: BusinessCalendar,
    now: DateTime,
    since: date | None = None,
    until: DateTime | None = None,
) -> SlaReport:
    """The report as of `now` over requests filed from `since` (local date) up to `until`."""
    # Descriptions can be long and the report never reads them.
    skip_description = defer(SupportRequest.description)  # type: ignore[arg-type]
    statement = select(SupportRequest).options(skip_description)
    if since is not None:
        statement = statement.where(
            col(SupportRequest.created_at) >= since_instant(since, calendar)
        )
    if until is not None:
        statement = statement.where(col(SupportRequest.created_at) <= until)
    with db.session() as session:
        requests = list(session.exec(statement).all())
    return build_report(requests, calendar=calendar, now=now, since=since)


def build_report(
    requests: Iterable[SupportRequest],
    *,
    calendar: BusinessCalendar,
    now: DateTime,
    since: date | None = None,
) -> SlaReport:
    """Tally the requests per priority as of `now` (the caller filters by `since`)."""
    facts = [facts_of(request, calendar=calendar, now=now) for request in requests]
    priorities = tuple(
        (priority, tally([f for f in facts if f.priority is priority])) for priority in Priority
    )
    return SlaReport(
        since=since,
        generated_at=now,
        timezone=calendar.timezone,
        priorities=priorities,
        totals=tally(facts),
    )


def facts_of(request: SupportRequest, *, calendar: BusinessCalendar, now: DateTime) -> RequestFacts:
    """Classify one request's first response and resolution as of `now`."""
    created = as_instant(request.created_at)
    responded = optional_instant(request.first_responded_at)
    resolved = optional_instant(request.resolved_at)
    is_open = request.status != RequestStatus.RESOLVED
    due = as_instant(request.first_response_due_at)
    if responded is not None:
        outcome = FirstResponse.ON_TIME if responded <= due else FirstResponse.LATE
        business: timedelta | None = calendar.elapsed(created, responded)
        wall: timedelta | None = wall_time(created, responded)
    else:
        # Unanswered: the clock ran until now, or until the request was closed without a reply.
        stopped = now if is_open or resolved is None else resolved
        outcome = FirstResponse.LATE if stopped > due else FirstResponse.EXCLUDED
        business = wall = None
    return RequestFacts(
        priority=Priority(request.priority),
        first_response=outcome,
        business=business,
        wall=wall,
        open_breach=is_open and request.breached_at is not None,
        resolution=_resolution(request, calendar=calendar, now=now, is_open=is_open),
    )


def _resolution(
    request: SupportRequest, *, calendar: BusinessCalendar, now: DateTime, is_open: bool
) -> Resolution:
    escalated = request.status == RequestStatus.ESCALATED_TO_DEVELOPMENT
    if escalated or request.escalated_to_development_at is not None:
        return Resolution.ESCALATED
    end = now if is_open or request.resolved_at is None else as_instant(request.resolved_at)
    within = resolution_time(request, calendar=calendar, end=end) <= RESOLUTION_TARGET
    if is_open:
        return Resolution.RUNNING if within else Resolution.PAST_TARGET
    return Resolution.WITHIN if within else Resolution.LATE


def resolution_time(
    request: SupportRequest, *, calendar: BusinessCalendar, end: DateTime
) -> timedelta:
    """Business time on the resolution clock from creation to `end`, pauses taken out."""
    created = as_instant(request.created_at)
    paused = timedelta(seconds=request.resolution_paused_seconds)
    if request.resolution_paused_since is not None:
        # A pause still running has not been added to resolution_paused_seconds yet.
        paused += calendar.elapsed(as_instant(request.resolution_paused_since), end)
    return calendar.elapsed(created, end) - paused


def tally(facts: Sequence[RequestFacts]) -> Tally:
    """Count and measure a group of requests."""
    on_time = sum(f.first_response is FirstResponse.ON_TIME for f in facts)
    late = sum(f.first_response is FirstResponse.LATE for f in facts)
    business = [f.business.total_seconds() for f in facts if f.business is not None]
    wall = [f.wall.total_seconds() for f in facts if f.wall is not None]
    outcomes = [f.resolution for f in facts]
    within, resolved_late = outcomes.count(Resolution.WITHIN), outcomes.count(Resolution.LATE)
    past = outcomes.count(Resolution.PAST_TARGET)
    return Tally(
        filed=len(facts),
        first_response_on_time=on_time,
        first_response_late=late,
        first_response_excluded=len(facts) - on_time - late,
        attainment_pct=percentage(on_time, on_time + late),
        median_first_response_business_seconds=_seconds(business, 0.5),
        p90_first_response_business_seconds=_seconds(business, 0.9),
        median_first_response_wall_seconds=_seconds(wall, 0.5),
        p90_first_response_wall_seconds=_seconds(wall, 0.9),
        open_breaches=sum(f.open_breach for f in facts),
        resolved_within_target=within,
        resolved_late=resolved_late,
        unresolved_past_target=past,
        resolution_excluded_escalated=outcomes.count(Resolution.ESCALATED),
        resolution_attainment_pct=percentage(within, within + resolved_late + past),
    )


def percentage(part: int, whole: int) -> float | None:
    """part / whole as a percentage to one decimal; None when there is no whole."""
    return None if whole == 0 else round(100 * part / whole, 1)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` percentile, interpolating linearly between closest ranks."""
    if not values:
        raise ValueError("a percentile needs at least one value")
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must lie in [0, 1], got {fraction}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _seconds(values: Sequence[float], fraction: float) -> int | None:
    if not values:
        return None
    return math.floor(percentile(values, fraction) + 0.5)
