"""`status`: the vendor's incident history, each incident's duration, and the total downtime.

Reads the desk's database (DATABASE_URL), which keeps every incident the poller has seen,
or a saved Statuspage `incidents.json` (`--from-file`). Duration = resolved - created.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from pendulum import DateTime
from sqlalchemy.exc import OperationalError

from bot.clock import SystemClock
from bot.domain.incidents import Incident, duration, ended_at, format_outage
from bot.domain.status_feed import FeedInvalid, parse_listing
from bot.services.status_queries import IncidentHistory, history_of, incident_history

EXIT_OK = 0
EXIT_UNAVAILABLE = 1


class HistoryUnavailable(Exception):
    """The history cannot be read; the message is one line for the user."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `status` on the top-level command line."""
    parser = subparsers.add_parser(
        "status",
        help="the vendor's incident history and total downtime",
        description=(
            "Every vendor incident the desk has recorded from STATUS_PAGE_URL (or a saved "
            "incidents.json), with its start, end and duration, and the total downtime."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--from-file",
        metavar="PATH",
        type=Path,
        help="read a saved Statuspage incidents.json instead of the database",
    )
    parser.add_argument(
        "--days", metavar="N", type=_days, help="only incidents begun in the last N days"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the history as a table or as JSON."""
    now = SystemClock().now()
    since = None if args.days is None else now - timedelta(days=args.days)
    try:
        if args.from_file is not None:
            history = history_of(read_saved(args.from_file), now=now, since=since)
        else:
            history = _from_database(now=now, since=since)
    except HistoryUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_UNAVAILABLE
    print(json.dumps(history_json(history, now=now), indent=2) if args.json else table(history))
    return EXIT_OK


def read_saved(path: Path) -> list[Incident]:
    """The incidents of a saved incidents.json (or unresolved.json)."""
    try:
        return list(parse_listing(path.read_bytes()))
    except OSError as error:
        raise HistoryUnavailable(f"Cannot read {path}: {error.strerror or error}") from None
    except FeedInvalid as invalid:
        raise HistoryUnavailable(
            f"{path} is not a Statuspage incidents listing: {invalid.reason}"
        ) from None


def _from_database(*, now: DateTime, since: DateTime | None) -> IncidentHistory:
    from bot.cli.report import ReportUnavailable, open_database
    from bot.config import load_database_settings

    url = load_database_settings().database_url
    try:
        db = open_database(url)
    except ReportUnavailable as error:
        raise HistoryUnavailable(str(error)) from None
    try:
        return incident_history(db, now=now, since=since)
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise HistoryUnavailable(f"Cannot read the database: {reason}") from None
    finally:
        db.dispose()


def history_json(history: IncidentHistory, *, now: DateTime) -> dict[str, Any]:
    """`{"incidents": [...], "total_downtime_seconds": N}` with UTC `…Z` instants."""
    return {
        "incidents": [
            {
                "id": incident.id,
                "name": incident.name,
                "impact": incident.impact,
                "started_at": _utc(incident.created_at),
                "resolved_at": _utc(ended_at(incident)),
                "duration_seconds": _seconds(duration(incident)),
            }
            for incident in history.incidents
        ],
        "total_downtime_seconds": _seconds(history.downtime),
    }


def table(history: IncidentHistory) -> str:
    """One line per incident, newest first, then the total downtime."""
    if not history.incidents:
        return "No vendor incidents recorded" + _window(history) + "."
    rows = [("Started (UTC)", "Resolved (UTC)", "Duration", "Impact", "Incident")]
    for incident in history.incidents:
        length = duration(incident)
        rows.append(
            (
                _minute(incident.created_at),
                _minute(ended_at(incident)) or "ongoing",
                format_outage(length) if length is not None else "-",
                incident.impact,
                incident.name,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[4]])
        for row in rows
    ]
    count = len(history.incidents)
    total = format_outage(history.downtime)
    title = f"{count} vendor incident{'s' if count != 1 else ''}{_window(history)}"
    return "\n".join([title, "", *lines, "", f"Total downtime: {total}"])


def _window(history: IncidentHistory) -> str:
    return f" since {_minute(history.since)}" if history.since else ""


def _utc(instant: DateTime | None) -> str | None:
    return None if instant is None else instant.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss[Z]")


def _minute(instant: DateTime | None) -> str:
    return "" if instant is None else instant.in_timezone("UTC").format("YYYY-MM-DD HH:mm")


def _seconds(length: timedelta | None) -> int | None:
    return None if length is None else int(length.total_seconds())


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if days <= 0:
        raise argparse.ArgumentTypeError("the number of days must be positive")
    return days
