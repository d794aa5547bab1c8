"""The SLA report over the stored requests, summed by the database (bot.db.report_sums).

What every field of the report means, and its stable JSON form, is documented in
bot.domain.report; the names it exports are re-exported here for the Slack side. The sums
read each request's stored report facts (bot.domain.report_facts), so those are brought up
to date first: all of them for `load_report`, a bounded batch for the Home and the
scheduler (`refresh_report_facts`).
"""

from __future__ import annotations

from datetime import date

from pendulum import DateTime

from bot.db.engine import Database
from bot.db.report_facts_repo import report_facts
from bot.db.report_sums import Scope, sum_report
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
    report_from_sums,
    since_instant,
)
from bot.domain.report_facts import calendar_fingerprint, stored_facts

__all__ = [
    "FIELD_NAMES",
    "REFRESH_BATCH",
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
    "refresh_report_facts",
    "since_instant",
]

# Requests whose facts one transaction works out and stores.
REFRESH_BATCH = 500


def load_report(
    db: Database,
    *,
    calendar: BusinessCalendar,
    now: DateTime,
    since: date | None = None,
    until: DateTime | None = None,
    account_id: int | None = None,
    refresh_limit: int | None = None,
) -> SlaReport:
    """The report as of `now` over requests filed from `since` (local date) up to `until`.

    `account_id`: only that customer account's requests. `refresh_limit`: bring at most
    that many stale report facts up to date first (default: all of them).
    """
    refresh_report_facts(db, calendar=calendar, limit=refresh_limit)
    start = None if since is None else since_instant(since, calendar)
    scope = Scope(start=start, until=until, account_id=account_id)
    sums = sum_report(db, now=now, scope=scope)
    return report_from_sums(sums, calendar=calendar, now=now, since=since)


def refresh_report_facts(
    db: Database, *, calendar: BusinessCalendar, limit: int | None = None
) -> int:
    """Work out and store stale report facts, at most `limit` (default: all); how many.

    Rows another transaction holds are left for the next refresh (PostgreSQL).
    """
    fingerprint = calendar_fingerprint(calendar)
    done = 0
    while limit is None or done < limit:
        batch = REFRESH_BATCH if limit is None else min(REFRESH_BATCH, limit - done)
        with db.unit_of_work() as uow:
            facts = report_facts(uow)
            stale = facts.stale(fingerprint=fingerprint, limit=batch)
            worked = [(row.id, stored_facts(row, calendar=calendar)) for row in stale]
            facts.store(worked, fingerprint=fingerprint)
        done += len(stale)
        if len(stale) < batch:
            break
    return done
