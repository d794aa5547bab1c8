"""The SLA report over the stored requests: read them, then tally them (bot.domain.report).

What every field of the report means, and its stable JSON form, is documented in
bot.domain.report; the names it exports are re-exported here for the Slack side.
"""

from __future__ import annotations

from datetime import date

from pendulum import DateTime

from bot.db.engine import Database
from bot.db.reporting_repo import report_reads
from bot.domain.calendar import BusinessCalendar
from bot.domain.report import (
    FIELD_NAMES,
    FirstResponse,
    Reportable,
    RequestFacts,
    Resolution,
    SlaReport,
    Tally,
    build_report,
    facts_of,
    percentile,
    since_instant,
)

__all__ = [
    "FIELD_NAMES",
    "FirstResponse",
    "Reportable",
    "RequestFacts",
    "Resolution",
    "SlaReport",
    "Tally",
    "build_report",
    "facts_of",
    "load_report",
    "percentile",
    "since_instant",
]


def load_report(
    db: Database,
    *,
    calendar: BusinessCalendar,
    now: DateTime,
    since: date | None = None,
    until: DateTime | None = None,
) -> SlaReport:
    """The report as of `now` over requests filed from `since` (local date) up to `until`."""
    start = None if since is None else since_instant(since, calendar)
    with db.unit_of_work() as uow:
        requests = report_reads(uow).filed(start=start, until=until)
    return build_report(requests, calendar=calendar, now=now, since=since)
