"""`demo`: the whole bot against a local Slack stand-in, on an accelerated clock."""

from __future__ import annotations

import argparse
import logging
import math
import sys
from datetime import datetime
from pathlib import Path

import pendulum
from pendulum import DateTime

from bot.devtools.demo import DEFAULT_SPEED, DEFAULT_START, DemoOptions, run_demo
from bot.devtools.demo_stage import DemoStalled
from bot.logs import setup_logging

EXIT_BAD_FLAG = 2
EXIT_STALLED = 1
DATABASE_NAME = "demo.db"


class BadFlag(Exception):
    """A demo flag that cannot be used; the message is one line for the user."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="play a week of support against a local Slack stand-in (no workspace)"
    )
    parser.add_argument(
        "--speed",
        metavar="N",
        help=f"simulated seconds per real second, above 0 (default {DEFAULT_SPEED:g})",
    )
    parser.add_argument(
        "--start",
        metavar="ISO",
        help="simulated start, ISO-8601 with an offset (default: a Friday 20:40 New York)",
    )
    parser.add_argument(
        "--keep",
        metavar="PATH",
        help=f"keep the SQLite database at PATH (a new file, or {DATABASE_NAME} in a folder)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the flags (one line and exit 2 when one is wrong), then play the demo."""
    try:
        options = options_from(speed=args.speed, start=args.start, keep=args.keep)
    except BadFlag as error:
        print(f"demo: {error}", file=sys.stderr)
        return EXIT_BAD_FLAG
    setup_logging("WARNING")
    logging.getLogger("bot.runtime").setLevel(logging.ERROR)
    try:
        return run_demo(options)
    except DemoStalled as error:
        print(f"demo: stopped: {error}", file=sys.stderr)
        return EXIT_STALLED


def options_from(*, speed: str | None, start: str | None, keep: str | None) -> DemoOptions:
    """The demo's options from the flags as typed; raises BadFlag naming the wrong one."""
    return DemoOptions(
        speed=DEFAULT_SPEED if speed is None else parse_speed(speed),
        start=DEFAULT_START if start is None else parse_start(start),
        keep=None if keep is None else keep_path(keep),
    )


def parse_speed(text: str) -> float:
    """A finite number above zero."""
    try:
        speed = float(text)
    except ValueError:
        speed = math.nan
    if not (math.isfinite(speed) and speed > 0):
        raise BadFlag(
            f"--speed must be a number above 0 (simulated seconds per second), not {text!r}"
        )
    return speed


def parse_start(text: str) -> DateTime:
    """An ISO-8601 instant that carries its UTC offset; a naive time is refused."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadFlag(
            f"--start {text!r} is not an ISO-8601 instant, e.g. 2026-11-20T20:40:00-05:00"
        ) from None
    if parsed.utcoffset() is None:
        raise BadFlag(f"--start {text!r} has no UTC offset: add Z or one like -05:00")
    return pendulum.instance(parsed)


def keep_path(text: str) -> Path:
    """Where to write the kept database: a new file the demo can create."""
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / DATABASE_NAME
    if path.exists():
        raise BadFlag(
            f"--keep {str(path)!r} already exists; give a new file, or a folder without "
            f"{DATABASE_NAME}"
        )
    try:
        path.touch(exist_ok=False)
    except OSError as error:
        raise BadFlag(
            f"--keep {str(path)!r} cannot be written: {error.strerror or error}"
        ) from None
    path.unlink()
    return path.resolve()
