"""The SLA report's response-time medians and 90th percentiles, per priority and overall.

PostgreSQL's `percentile_cont` interpolates linearly between closest ranks in float8 exactly
as bot.domain.report_tally.percentile does on the same values, so its answers round to the
same whole seconds. SQLite has no percentiles: there the answered requests' times are read
and measured in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, true
from sqlalchemy.dialects.postgresql import array
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest as Row
from bot.domain.report_tally import Times, times_of, whole_seconds
from bot.domain.requests import Priority

BUSINESS = col(Row.report_response_business_seconds)
WALL = col(Row.report_response_wall_seconds)
# Room for the percentiles' sorts in memory (PostgreSQL), for their transaction only.
SORT_MEMORY = "64MB"

Cells = list[list[float] | None]


def percentiles(
    session: Session, *, where: Sequence[Any], measures: tuple[Any, ...], ordered: bool
) -> Cells:
    """[median, p90] of each measure over the answered requests `where` holds for: per
    priority (Low to Critical) then overall, measure after measure (None: none answered).

    `ordered` reads them in order of the (single) measure, from its index: each sort of
    `percentile_cont` then finds its input sorted already, which pays on the whole history.
    """
    session.connection().exec_driver_sql(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
    answered = select(col(Row.priority), *measures).where(
        *(measure.is_not(None) for measure in measures), *where
    )
    if ordered:
        answered = answered.order_by(*measures)
    rows = answered.subquery()
    groups: list[Any] = [rows.c.priority == priority for priority in Priority]
    groups.append(true())
    fractions = array([0.5, 0.9])
    columns: list[Any] = [
        func.percentile_cont(fractions).within_group(rows.c[measure.key]).filter(group)
        for measure in measures
        for group in groups
    ]
    return list(session.exec(select(*columns)).one())


def times_of_cells(cells: Cells) -> tuple[dict[Priority, Times], Times]:
    """`percentiles` of business then wall time, as each priority's Times and the overall."""
    business, wall = cells[: len(cells) // 2], cells[len(cells) // 2 :]
    times = [_times(b, w) for b, w in zip(business, wall, strict=True)]
    return dict(zip(Priority, times[:-1], strict=True)), times[-1]


def _times(business: list[float] | None, wall: list[float] | None) -> Times:
    if business is None or wall is None:
        return Times()
    return Times(
        median_business=whole_seconds(business[0]),
        p90_business=whole_seconds(business[1]),
        median_wall=whole_seconds(wall[0]),
        p90_wall=whole_seconds(wall[1]),
    )


def measured_in_python(
    session: Session, *, where: Sequence[Any]
) -> tuple[dict[Priority, Times], Times]:
    """The same numbers from the answered requests' times read out (SQLite)."""
    statement = select(col(Row.priority), BUSINESS, WALL).where(
        BUSINESS.is_not(None), WALL.is_not(None), *where
    )
    values: dict[Priority, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for priority, seconds, wall_seconds in session.exec(statement):
        values[priority][0].append(float(seconds or 0))
        values[priority][1].append(float(wall_seconds or 0))
    every = [v for group in values.values() for v in group[0]]
    every_wall = [v for group in values.values() for v in group[1]]
    per_priority = {priority: times_of(*group) for priority, group in values.items()}
    return per_priority, times_of(every, every_wall)
