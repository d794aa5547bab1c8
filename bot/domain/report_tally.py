"""The SLA report's arithmetic over classified requests: counts, percentages, percentiles.

What each field means is documented in bot.domain.report, which classifies the requests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import timedelta
from enum import StrEnum

from bot.domain.requests import Priority


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
class Counts:
    """How many requests of a group fall in each of the report's classes: what SQL sums."""

    filed: int = 0
    on_time: int = 0
    late: int = 0
    open_breaches: int = 0
    within: int = 0
    resolved_late: int = 0
    past_target: int = 0
    escalated: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class Times:
    """A group's first-response medians and 90th percentiles, in whole seconds."""

    median_business: int | None = None
    p90_business: int | None = None
    median_wall: int | None = None
    p90_wall: int | None = None


@dataclass(frozen=True)
class ReportSums:
    """A report as a database sums it: counts and times per priority, and times overall."""

    counts: Mapping[Priority, Counts]
    times: Mapping[Priority, Times]
    total_times: Times


def tally(facts: Sequence[RequestFacts]) -> Tally:
    """Count and measure a group of requests."""
    outcomes = [f.resolution for f in facts]
    counts = Counts(
        filed=len(facts),
        on_time=sum(f.first_response is FirstResponse.ON_TIME for f in facts),
        late=sum(f.first_response is FirstResponse.LATE for f in facts),
        open_breaches=sum(f.open_breach for f in facts),
        within=outcomes.count(Resolution.WITHIN),
        resolved_late=outcomes.count(Resolution.LATE),
        past_target=outcomes.count(Resolution.PAST_TARGET),
        escalated=outcomes.count(Resolution.ESCALATED),
    )
    business = [f.business.total_seconds() for f in facts if f.business is not None]
    wall = [f.wall.total_seconds() for f in facts if f.wall is not None]
    return tally_of(counts, times_of(business, wall))


def times_of(business: Sequence[float], wall: Sequence[float]) -> Times:
    """The medians and 90th percentiles of response times in seconds (any order)."""
    return Times(
        median_business=_seconds(business, 0.5),
        p90_business=_seconds(business, 0.9),
        median_wall=_seconds(wall, 0.5),
        p90_wall=_seconds(wall, 0.9),
    )


def tally_of(counts: Counts, times: Times) -> Tally:
    """The report's numbers for a group from its counts and its response times."""
    on_time, late = counts.on_time, counts.late
    within, resolved_late, past = counts.within, counts.resolved_late, counts.past_target
    return Tally(
        filed=counts.filed,
        first_response_on_time=on_time,
        first_response_late=late,
        first_response_excluded=counts.filed - on_time - late,
        attainment_pct=percentage(on_time, on_time + late),
        median_first_response_business_seconds=times.median_business,
        p90_first_response_business_seconds=times.p90_business,
        median_first_response_wall_seconds=times.median_wall,
        p90_first_response_wall_seconds=times.p90_wall,
        open_breaches=counts.open_breaches,
        resolved_within_target=within,
        resolved_late=resolved_late,
        unresolved_past_target=past,
        resolution_excluded_escalated=counts.escalated,
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


def whole_seconds(value: float | None) -> int | None:
    """A time in seconds rounded half up to whole seconds; None stays None."""
    return None if value is None else math.floor(value + 0.5)


def _seconds(values: Sequence[float], fraction: float) -> int | None:
    return whole_seconds(percentile(values, fraction)) if values else None
