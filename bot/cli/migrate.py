"""`migrate`: bring the database schema up to this version (the explicit deploy step)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from sqlalchemy.exc import OperationalError

from bot.db.engine import normalize_url
from bot.db.migrate import current_revision, head_revision, upgrade


def add_parser(subparsers: Any) -> None:
    """Register the `migrate` subcommand."""
    parser = subparsers.add_parser(
        "migrate",
        help="upgrade the database schema to this version",
        description="Upgrade the database at DATABASE_URL to the newest schema revision.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report whether the schema is current; exit 1 when it is behind",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Migrate (or check) the database DATABASE_URL names (no other setting is read)."""
    from bot.config import load_database_settings

    url = load_database_settings().database_url
    try:
        if args.check:
            return check_database(url, out=sys.stdout)
        return migrate_database(url, out=sys.stdout)
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"Cannot migrate {safe_url(url)}: {reason}", file=sys.stderr)
        return 1


def safe_url(url: str) -> str:
    """The URL with its password masked, fit for printing."""
    return normalize_url(url).render_as_string(hide_password=True)


def migrate_database(url: str, *, out: TextIO) -> int:
    """Upgrade the database to the newest revision and say from where to where."""
    before, head = current_revision(url), head_revision()
    if before == head:
        print(f"{safe_url(url)} is already at {head}: nothing to do.", file=out)
        return 0
    upgrade(url)
    after = current_revision(url)
    print(f"Migrated {safe_url(url)}: {before or '(empty)'} -> {after}.", file=out)
    return 0


def check_database(url: str, *, out: TextIO) -> int:
    """Say whether the schema is at the newest revision; 0 when it is, 1 when not."""
    current, head = current_revision(url), head_revision()
    if current == head:
        print(f"{safe_url(url)} is at {head}: up to date.", file=out)
        return 0
    print(f"{safe_url(url)} is at {current or '(empty)'}; this version needs {head}.", file=out)
    return 1
