"""The command line: `python -m bot run | worker | migrate | demo | sla | report | status`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.config import ConfigError

# Each command lives in its own module with `add_parser(subparsers)` and `run(args)`.
COMMANDS = ("run", "worker", "migrate", "demo", "sla", "report", "status", "accounts")


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The top-level parser with one subparser per available command (of `commands`)."""
    parser = argparse.ArgumentParser(
        prog="kustomer-support-bot",
        description="Kustomer support triage bot for Slack.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in commands:
        try:
            module = importlib.import_module(f"bot.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"bot.cli.{name}":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Load only the command asked for: importing every command (the demo's harness, the
    # app) would add most of a second to a `report`.
    chosen = argv[:1] if argv[:1] and argv[0] in COMMANDS else COMMANDS
    args = build_parser(chosen).parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
