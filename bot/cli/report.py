"""`report`: SLA attainment per priority, as a table or as JSON (fields: bot.domain.report)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from pendulum import DateTime
from sqlalchemy.exc import OperationalError

from bot.cli.sla import UsageError, parse_instant
from bot.clock import SystemClock
from bot.db.engine import Database, is_memory_sqlite, is_sqlite, normalize_url
from bot.db.migrate import SchemaError, ensure_schema
from bot.domain.accounts import Account
from bot.domain.calendar import BusinessCalendar
from bot.domain.instants import as_instant
from bot.domain.report import SlaReport, Tally
from bot.domain.sla import format_duration
from bot.services.reporting import load_report

EXIT_OK = 0
EXIT_UNAVAILABLE = 1
EXIT_USAGE = 2


class ReportUnavailable(Exception):
    """The database cannot be read (missing, behind, unreachable); the message is one line."""


class UnknownAccount(Exception):
    """`--account` names no customer account; the message is one line."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `report` on the top-level command line."""
    parser = subparsers.add_parser(
        "report",
        help="SLA attainment per priority",
        description=(
            "First responses on time and late, response times, open breaches and resolution "
            "within 4 business days, per priority, from the bot's database (DATABASE_URL)."
        ),
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        type=_date,
        help="only requests filed on or after this local date (YYYY-MM-DD, business timezone)",
    )
    parser.add_argument(
        "--account",
        metavar="NAME",
        help="only the requests of this customer account (its name in any case)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--at",
        metavar="INSTANT",
        type=_instant,
        help="report as of this ISO-8601 instant with an offset (default: now)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Report on the database and calendar the settings name (no Slack settings needed)."""
    from bot.config import load_calendar_settings, load_database_settings

    calendar = load_calendar_settings().business_calendar()
    database_url = load_database_settings().database_url
    try:
        text = render_report(
            database_url,
            calendar=calendar,
            since=args.since,
            at=args.at,
            as_json=args.json,
            account=args.account,
        )
    except ReportUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_UNAVAILABLE
    except UnknownAccount as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK


def render_report(
    database_url: str,
    *,
    calendar: BusinessCalendar | None = None,
    since: date | None = None,
    at: DateTime | None = None,
    as_json: bool = False,
    account: str | None = None,
) -> str:
    """The report as text or JSON; `at` reports as of that instant, leaving out later requests.

    `account`: only the requests of the customer account of that name (any case).
    """
    calendar = calendar or BusinessCalendar.default()
    db = open_database(database_url)
    try:
        found = None if account is None else _account(db, account)
        now = at or SystemClock().now()
        account_id = None if found is None else found.id
        report = load_report(
            db, calendar=calendar, now=now, since=since, until=at, account_id=account_id
        )
    except OperationalError as error:
        raise ReportUnavailable(_cannot_read(database_url, error)) from None
    finally:
        db.dispose()
    name = None if found is None else found.name
    if as_json:
        data = report.to_json() if name is None else {"account": name, **report.to_json()}
        return json.dumps(data, indent=2)
    return render_table(report, account=name)


def _account(db: Database, name: str) -> Account:
    with db.unit_of_work() as uow:
        found = uow.accounts.named(name)
    if found is None:
        raise UnknownAccount(
            f"No customer account is named {name.strip()!r}: see `python -m bot accounts list`."
        )
    return found


def open_database(url: str) -> Database:
    """The bot's database with a current schema (SQLite is migrated in place)."""
    parsed = normalize_url(url)
    on_disk = is_sqlite(parsed) and not is_memory_sqlite(parsed)
    if on_disk and not Path(parsed.database or "").exists():
        raise ReportUnavailable(
            f"No database at {_safe(url)}: nothing was filed yet, or DATABASE_URL points elsewhere."
        )
    try:
        ensure_schema(url)
    except SchemaError as error:
        raise ReportUnavailable(str(error)) from None
    except OperationalError as error:
        raise ReportUnavailable(_cannot_read(url, error)) from None
    return Database.from_url(url)


def _cannot_read(url: str, error: OperationalError) -> str:
    reason = str(error.orig or error).strip().splitlines()[0]
    return f"Cannot read {_safe(url)}: {reason}"


def _safe(url: str) -> str:
    return normalize_url(url).render_as_string(hide_password=True)


def render_table(report: SlaReport, *, account: str | None = None) -> str:
    """Two readable tables: first response, then resolution, one row per priority."""
    rows = [*((p.label, t) for p, t in report.priorities), ("All", report.totals)]
    first = _table(FIRST_RESPONSE_COLUMNS, [[name, *_first_response(t)] for name, t in rows])
    resolution = _table(RESOLUTION_COLUMNS, [[name, *_resolution(t)] for name, t in rows])
    return "\n".join([_title(report, account), "", first, "", resolution, "", _NOTES])


FIRST_RESPONSE_COLUMNS = (
    "First response",
    "Filed",
    "On time",
    "Late",
    "Excluded",
    "Attainment",
    "Median business",
    "Median wall",
    "P90 business",
    "P90 wall",
    "Open breaches",
)
RESOLUTION_COLUMNS = (
    "Resolution (4 business days)",
    "Within",
    "Late",
    "Open past target",
    "Escalated to Development",
    "Attainment",
)
_NOTES = (
    "Attainment = on time / (on time + late). An unanswered request counts late once its due\n"
    "has passed; one not yet due is excluded. Business time counts open desk hours only."
)


def _title(report: SlaReport, account: str | None) -> str:
    when = report.generated_at.in_timezone(report.timezone).format("ddd YYYY-MM-DD HH:mm zz")
    since = f"filed since {report.since.isoformat()}" if report.since else "all requests"
    whose = "" if account is None else f" {account},"
    return f"SLA report:{whose} {since}, as of {when} ({report.timezone})"


def _first_response(tally: Tally) -> list[str]:
    counts = (
        tally.filed,
        tally.first_response_on_time,
        tally.first_response_late,
        tally.first_response_excluded,
    )
    times = (
        tally.median_first_response_business_seconds,
        tally.median_first_response_wall_seconds,
        tally.p90_first_response_business_seconds,
        tally.p90_first_response_wall_seconds,
    )
    return [
        *(str(n) for n in counts),
        _pct(tally.attainment_pct),
        *(_duration(seconds) for seconds in times),
        str(tally.open_breaches),
    ]


def _resolution(tally: Tally) -> list[str]:
    counts = (tally.resolved_within_target, tally.resolved_late, tally.unresolved_past_target)
    return [
        *(str(n) for n in counts),
        str(tally.resolution_excluded_escalated),
        _pct(tally.resolution_attainment_pct),
    ]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell: names left-aligned, numbers right-aligned."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        name = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([name, *rest]).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def _duration(seconds: int | None) -> str:
    return "-" if seconds is None else format_duration(timedelta(seconds=seconds))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-01") from None


def _instant(text: str) -> DateTime:
    try:
        return as_instant(parse_instant(text))
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
