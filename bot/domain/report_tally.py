"""The SLA report's arithmetic over classified requests: counts, percentages, percentiles.

What each field means is documented in bot.domain.report, which classifies the requests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
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
