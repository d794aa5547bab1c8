"""SLA reporting per priority: first responses on time, response times, breaches, resolution.

Pure arithmetic over requests (`build_report`); `bot.services.reporting.load_report` reads
them from the database. Every request counts under its current priority. The JSON form
(`SlaReport.to_json`) keeps these field names stable:

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

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import pendulum
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar, wall_time
from bot.domain.report_facts import resolution_time
from bot.domain.report_tally import (
    FIELD_NAMES,
    Counts,
    FirstResponse,
    ReportSums,
    RequestFacts,
    Resolution,
    Tally,
    Times,
    percentage,
    percentile,
    tally,
    tally_of,
)
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla_terms import RESOLUTION_TARGET

__all__ = [
    "FIELD_NAMES",
    "Counts",
    "FirstResponse",
    "ReportSums",
    "Reportable",
    "RequestFacts",
    "Resolution",
    "SlaReport",
    "Tally",
    "Times",
    "build_report",
    "facts_of",
    "percentage",
    "percentile",
    "report_from_sums",
    "resolution_time",
    "since_instant",
    "tally",
]


class Reportable(Protocol):
    """What the report reads of a request: a domain `Request`, or a lighter projection."""

    @property
    def priority(self) -> Priority: ...

    @property
    def status(self) -> RequestStatus: ...

    @property
    def created_at(self) -> DateTime: ...

    @property
    def first_response_due_at(self) -> DateTime: ...

    @property
    def first_responded_at(self) -> DateTime | None: ...

    @property
    def breached_at(self) -> DateTime | None: ...

    @property
    def resolved_at(self) -> DateTime | None: ...

    @property
    def escalated_to_development_at(self) -> DateTime | None: ...

    @property
    def resolution_paused_since(self) -> DateTime | None: ...

    @property
    def resolution_paused_seconds(self) -> int: ...


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


def build_report(
    requests: Iterable[Reportable],
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


def report_from_sums(
    sums: ReportSums, *, calendar: BusinessCalendar, now: DateTime, since: date | None = None
) -> SlaReport:
    """The report a database summed (bot.db.report_sums); the same numbers as `build_report`."""
    counts = {priority: sums.counts.get(priority, Counts()) for priority in Priority}
    priorities = tuple(
        (priority, tally_of(counts[priority], sums.times.get(priority, Times())))
        for priority in Priority
    )
    return SlaReport(
        since=since,
        generated_at=now,
        timezone=calendar.timezone,
        priorities=priorities,
        totals=tally_of(sum(counts.values(), Counts()), sums.total_times),
    )


def facts_of(request: Reportable, *, calendar: BusinessCalendar, now: DateTime) -> RequestFacts:
    """Classify one request's first response and resolution as of `now`."""
    created, due = request.created_at, request.first_response_due_at
    responded, resolved = request.first_responded_at, request.resolved_at
    is_open = request.status.is_open
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
        priority=request.priority,
        first_response=outcome,
        business=business,
        wall=wall,
        open_breach=is_open and request.breached_at is not None,
        resolution=_resolution(request, calendar=calendar, now=now),
    )


def _resolution(request: Reportable, *, calendar: BusinessCalendar, now: DateTime) -> Resolution:
    escalated = request.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
    if escalated or request.escalated_to_development_at is not None:
        return Resolution.ESCALATED
    is_open = request.status.is_open
    end = now if is_open or request.resolved_at is None else request.resolved_at
    within = resolution_time(request, calendar=calendar, end=end) <= RESOLUTION_TARGET
    if is_open:
        return Resolution.RUNNING if within else Resolution.PAST_TARGET
    return Resolution.WITHIN if within else Resolution.LATE
