"""`sla`: explain when a request's first response is due, and why."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any, NoReturn, TextIO

from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.requests import Priority
from bot.domain.sla import DueExplanation, SlaClock, SlaPolicy, format_duration

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad command-line or input value; the message is one line for the user."""


class _Parser(argparse.ArgumentParser):
    """An argparse parser that raises instead of exiting, so `run_sla` owns the exit code."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--priority", help="low, medium, high or critical (any case)")
    parser.add_argument("--created", metavar="ISO", help="creation instant with an offset")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"created_at": ..., "priority": ...} lines on stdin, write one result each',
    )


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `sla` on the top-level command line."""
    parser = subparsers.add_parser(
        "sla",
        help="explain a first-response due time",
        description="Explain when a request's first response is due on the business calendar.",
    )
    _configure(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run with the calendar from the settings (BUSINESS_TIMEZONE, BUSINESS_HOURS, HOLIDAYS)."""
    from bot.config import load_calendar_settings

    calendar = load_calendar_settings().business_calendar()
    return _dispatch(args, SlaPolicy(calendar), sys.stdin, sys.stdout, sys.stderr)


def run_sla(
    argv: list[str],
    *,
    calendar: BusinessCalendar,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """The `sla` command on explicit arguments, calendar and streams; returns the exit code."""
    parser = _Parser(prog="sla", add_help=False)
    _configure(parser)
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"sla: {error}", file=stderr)
        return EXIT_BAD_INPUT
    return _dispatch(args, SlaPolicy(calendar), stdin, stdout, stderr)


def _dispatch(
    args: argparse.Namespace, policy: SlaPolicy, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    try:
        if args.jsonl:
            if args.priority or args.created:
                raise UsageError("--jsonl reads priority and created_at from stdin; drop them")
            return _run_lines(policy, stdin, stdout)
        if not args.priority or not args.created:
            raise UsageError("give --priority and --created (or --jsonl)")
        explanation = policy.explain_due(parse_priority(args.priority), parse_instant(args.created))
    except (UsageError, ValueError) as error:
        print(f"sla: {error}", file=stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result_object(explanation)), file=stdout)
    else:
        print(render_explanation(explanation, policy.calendar), file=stdout)
    return EXIT_OK


def parse_priority(text: str) -> Priority:
    """A priority from any-case text."""
    try:
        return Priority(text.strip().lower())
    except ValueError:
        choices = ", ".join(p.value for p in Priority)
        raise UsageError(f"unknown priority {text!r}: use one of {choices}") from None


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant that carries its offset (Z or ±HH:MM); naive times are refused."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{text!r} is not an ISO-8601 instant, e.g. 2026-11-20T20:30:00-05:00"
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise UsageError(f"{text!r} has no UTC offset: add Z or one like -05:00")
    return parsed


def utc_text(at: DateTime) -> str:
    """YYYY-MM-DDTHH:MM:SSZ (with .ffffff only when the instant has microseconds)."""
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if at.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return at.in_timezone("UTC").strftime(spec)


def result_object(explanation: DueExplanation) -> dict[str, Any]:
    """The JSON view of one explanation."""
    return {
        "created_at": utc_text(explanation.created_at),
        "priority": explanation.priority.value,
        "due_at": utc_text(explanation.due_at),
        "due_at_local": explanation.due_local.isoformat(),
        "timezone": explanation.timezone,
        "open_at_creation": explanation.open_at_creation,
        "clock": explanation.clock.value,
        "clock_started_at": utc_text(explanation.clock_starts_at),
        "target_seconds": int(explanation.target.total_seconds()),
    }


def _run_lines(policy: SlaPolicy, stdin: TextIO, stdout: TextIO) -> int:
    bad = False
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            result = result_object(_explain_line(policy, line))
        except (UsageError, ValueError) as error:
            bad = True
            result = {"line": number, "error": str(error)}
        stdout.write(json.dumps(result) + "\n")
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _explain_line(policy: SlaPolicy, line: str) -> DueExplanation:
    try:
        item = json.loads(line)
    except ValueError:
        raise UsageError("not a JSON object") from None
    if not isinstance(item, dict):
        raise UsageError("not a JSON object")
    priority, created = item.get("priority"), item.get("created_at")
    if not isinstance(priority, str) or not isinstance(created, str):
        raise UsageError('needs string fields "priority" and "created_at"')
    return policy.explain_due(parse_priority(priority), parse_instant(created))


def _local_text(at: DateTime) -> str:
    return at.format("ddd YYYY-MM-DD HH:mm:ss zz")


def render_explanation(explanation: DueExplanation, calendar: BusinessCalendar) -> str:
    """The human explanation: creation, desk state, clock, intervals counted, due."""
    e = explanation
    state = "open" if e.open_at_creation else "closed"
    clock = "wall clock, 24/7" if e.clock is SlaClock.WALL else "business clock, open time only"
    lines = [
        f"Priority:      {e.priority.label} (target {format_duration(e.target)}, {clock})",
        f"Created:       {_local_text(e.created_local)}  ({utc_text(e.created_at)})",
        f"Desk:          {state} at creation; hours {calendar.describe()}",
        f"Clock started: {_local_text(e.clock_starts_local)}  ({utc_text(e.clock_starts_at)})",
        "Time counted:",
    ]
    for span in e.intervals:
        lines.append(
            f"  {_local_text(span.start_local)} -> {_local_text(span.end_local)}"
            f"  ({format_duration(span.length)})"
        )
    lines.append(f"Due:           {_local_text(e.due_local)}  ({utc_text(e.due_at)})")
    return "\n".join(lines)
