"""`demo`: the whole bot against a local Slack stand-in, on an accelerated clock."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pendulum
from pendulum import DateTime

from bot.devtools.demo import DEFAULT_SPEED, DEFAULT_START, DemoOptions, run_demo
from bot.logs import setup_logging


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="play a week of support against a local Slack stand-in (no workspace)"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help=f"simulated seconds per real second (default {DEFAULT_SPEED:g})",
    )
    parser.add_argument(
        "--start",
        type=_instant,
        default=DEFAULT_START,
        help="simulated start, ISO-8601 with offset (default: a Friday 20:40 New York)",
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the demo database in this folder"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_logging("WARNING")
    logging.getLogger("bot.runtime").setLevel(logging.ERROR)
    return run_demo(DemoOptions(start=args.start, speed=args.speed, keep=args.keep))


def _instant(text: str) -> DateTime:
    parsed = pendulum.parse(text)
    if not isinstance(parsed, DateTime) or parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an instant with an offset")
    return parsed
