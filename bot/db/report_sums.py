"""The SLA report summed by the database over the requests' columns and stored facts.

`facts_of` (bot.domain.report) classifies one request as of `now`; here the same classes are
CASE expressions over the row, and one grouped query counts the requests per priority and
class; the response times' percentiles are bot.db.report_times. The stored facts must be
current (bot.services.reporting refreshes them first).

On PostgreSQL both read indexes only (bot.db.report_sql): a window of filing instants from
`ix_request_report`, the whole history in order of each response time from its own index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from pendulum import DateTime
from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from bot.db.engine import Database
from bot.db.models import SupportRequest as Row
from bot.db.report_times import BUSINESS, WALL, measured_in_python, percentiles, times_of_cells
from bot.domain.report_facts import RESOLUTION_TARGET_SECONDS
from bot.domain.report_tally import Counts, ReportSums
from bot.domain.requests import Priority, RequestStatus

T = TypeVar("T")
# First-response classes, then resolution classes, as the grouped query numbers them.
EXCLUDED, ON_TIME, LATE = 0, 1, 2
RUNNING, WITHIN, RESOLVED_LATE, PAST_TARGET, ESCALATED = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Scope:
    """Which requests a report covers: filed in [start, until], of one account."""

    start: DateTime | None = None
    until: DateTime | None = None
    account_id: int | None = None

    def conditions(self) -> list[Any]:
        where: list[Any] = []
        if self.start is not None:
            where.append(col(Row.created_at) >= self.start)
        if self.until is not None:
            where.append(col(Row.created_at) <= self.until)
        if self.account_id is not None:
            where.append(col(Row.account_id) == self.account_id)
        return where


def _classes(now: DateTime) -> tuple[Any, Any, Any]:
    """The first-response class, the resolution class and the open breach, as of `now`."""
    status, due = col(Row.status), col(Row.first_response_due_at)
    responded_at, resolved_at = col(Row.first_responded_at), col(Row.resolved_at)
    past_at = col(Row.report_past_target_at)
    is_open = status != RequestStatus.RESOLVED
    # The clocks run until `now`, unless the request was resolved at a known instant.
    runs = or_(is_open, resolved_at.is_(None))
    first_response = case(
        (responded_at.is_not(None), case((responded_at <= due, ON_TIME), else_=LATE)),
        (runs, case((due < now, LATE), else_=EXCLUDED)),
        (resolved_at > due, LATE),
        else_=EXCLUDED,
    )
    escalated = or_(
        status == RequestStatus.ESCALATED_TO_DEVELOPMENT,
        col(Row.escalated_to_development_at).is_not(None),
    )
    resolution = case(
        (escalated, ESCALATED),
        (and_(runs, past_at < now), case((is_open, PAST_TARGET), else_=RESOLVED_LATE)),
        (runs, case((is_open, RUNNING), else_=WITHIN)),
        (col(Row.report_resolution_seconds) <= RESOLUTION_TARGET_SECONDS, WITHIN),
        else_=RESOLVED_LATE,
    )
    open_breach = case((and_(is_open, col(Row.breached_at).is_not(None)), 1), else_=0)
    return first_response, resolution, open_breach


def count_classes(session: Session, *, now: DateTime, scope: Scope) -> dict[Priority, Counts]:
    """Each priority's counts, in one query grouped by priority and class."""
    keys: list[Any] = [col(Row.priority), *_classes(now)]
    counted: list[Any] = [*keys, func.count()]
    statement = select(*counted).where(*scope.conditions()).group_by(*keys)
    counts: dict[Priority, Counts] = defaultdict(Counts)
    for priority, first_response, resolution, open_breach, number in session.exec(statement):
        counts[Priority(priority)] += _counts(first_response, resolution, open_breach, number)
    return dict(counts)


def _counts(first_response: int, resolution: int, open_breach: int, number: int) -> Counts:
    return Counts(
        filed=number,
        on_time=number if first_response == ON_TIME else 0,
        late=number if first_response == LATE else 0,
        open_breaches=number if open_breach else 0,
        within=number if resolution == WITHIN else 0,
        resolved_late=number if resolution == RESOLVED_LATE else 0,
        past_target=number if resolution == PAST_TARGET else 0,
        escalated=number if resolution == ESCALATED else 0,
    )


def sum_report(db: Database, *, now: DateTime, scope: Scope) -> ReportSums:
    """The report's counts and response times as of `now` over the requests in `scope`.

    On PostgreSQL the counts and the percentiles are separate statements run at once, each
    in its own short transaction on its own connection (so its own server process): the
    report takes about as long as its slowest statement rather than their sum. SQLite reads
    them one after the other.
    """
    if db.dialect != "postgresql":
        with db.session() as session:
            counts = count_classes(session, now=now, scope=scope)
            times, total = measured_in_python(session, where=scope.conditions())
        return ReportSums(counts=counts, times=times, total_times=total)
    # The whole history: each time in order from its own index; a window: both in one read.
    whole = scope.start is None
    measures = [(BUSINESS,), (WALL,)] if whole else [(BUSINESS, WALL)]
    with ThreadPoolExecutor(max_workers=1 + len(measures)) as pool:
        counted = pool.submit(_read, db, count_classes, now=now, scope=scope)
        where = scope.conditions()
        timed = [
            pool.submit(_read, db, percentiles, where=where, measures=m, ordered=whole)
            for m in measures
        ]
        cells = [cell for future in timed for cell in future.result()]
        counts = counted.result()
    times, total = times_of_cells(cells)
    return ReportSums(counts=counts, times=times, total_times=total)


def _read(db: Database, read: Callable[..., T], **arguments: Any) -> T:
    with db.session() as session:
        return read(session, **arguments)
