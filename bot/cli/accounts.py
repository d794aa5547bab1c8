"""`accounts`: the customer organisations the desk serves (§11): add, update, remove, list.

Reads only DATABASE_URL. SQLite is migrated in place, as `run` does; PostgreSQL must have been
migrated (`python -m bot migrate`). Bad input is one line on stderr and exit 2, and nothing is
written: every part is checked before the database is opened, every clash in one transaction.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from sqlalchemy.exc import DBAPIError

from bot.clock import SystemClock
from bot.db.engine import Database, normalize_url
from bot.db.migrate import SchemaError, ensure_schema
from bot.domain.accounts import Account, AccountProblem, account_changes, new_account
from bot.services.accounts import add_account, list_accounts, remove_account, update_account

EXIT_OK = 0
EXIT_UNAVAILABLE = 1
EXIT_BAD_INPUT = 2

Job = Callable[[Database], str]


class DatabaseUnavailable(Exception):
    """The database cannot be used (unreachable, not migrated); the message is one line."""


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes as one line on stderr (exit 2), not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        # Unknown options would otherwise reach the top-level parser and its usage block.
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `accounts` and its actions on the top-level command line."""
    parser = subparsers.add_parser(
        "accounts",
        help="the customer organisations: plan tier, shared channels, chat admins",
        description=(
            "Customer accounts in the bot's database (DATABASE_URL): each organisation's plan "
            "tier, its Slack Connect channels and Slack teams, the people the desk records as "
            "its owners or administrators (who may file through chat), and a default project."
        ),
    )
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=OneLineParser
    )
    _add_parser(actions)
    _update_parser(actions)
    remove = actions.add_parser("remove", help="forget an account and its channel mappings")
    remove.add_argument("name", metavar="NAME", help="the account's name (any case)")
    remove.set_defaults(prepare=_prepare_remove)
    listing = actions.add_parser("list", help="every account, as a table or as JSON")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(prepare=_prepare_list)
    parser.set_defaults(handler=run)


def _add_parser(actions: argparse._SubParsersAction[OneLineParser]) -> None:
    add = actions.add_parser("add", help="add a customer organisation")
    add.add_argument("--name", required=True, help="unique, whatever its case")
    add.add_argument("--tier", required=True, help="professional, enterprise or ultimate")
    many: dict[str, Any] = {"action": "append", "default": []}
    add.add_argument(
        "--channel",
        dest="channels",
        required=True,
        metavar="CHANNEL_ID",
        help="a Slack Connect channel shared with it (repeat for more)",
        **many,
    )
    add.add_argument(
        "--team",
        dest="teams",
        metavar="TEAM_ID",
        help="its Slack workspace or organisation (repeat for more)",
        **many,
    )
    add.add_argument(
        "--admin",
        dest="admins",
        metavar="USER_ID",
        help="an owner or administrator of the organisation (repeat)",
        **many,
    )
    add.add_argument("--project", metavar="NAME", help="the default project of its requests")
    add.set_defaults(prepare=_prepare_add)


def _update_parser(actions: argparse._SubParsersAction[OneLineParser]) -> None:
    update = actions.add_parser("update", help="change an account")
    update.add_argument("name", metavar="NAME", help="the account's name (any case)")
    update.add_argument("--rename", metavar="NEW", help="a new name")
    update.add_argument("--tier", help="professional, enterprise or ultimate")
    lists = (("channel", "CHANNEL_ID"), ("team", "TEAM_ID"), ("admin", "USER_ID"))
    for (what, metavar), verb in itertools.product(lists, ("add", "remove")):
        update.add_argument(
            f"--{verb}-{what}",
            action="append",
            default=[],
            metavar=metavar,
            help=f"{verb} a {what}",
        )
    project = update.add_mutually_exclusive_group()
    project.add_argument("--project", metavar="NAME", help="set the default project")
    project.add_argument("--no-project", action="store_true", help="clear the default project")
    update.set_defaults(prepare=_prepare_update)


def run(args: argparse.Namespace) -> int:
    """Check the input, then do it on the database DATABASE_URL names."""
    from bot.config import load_database_settings

    try:
        job: Job = args.prepare(args)
    except AccountProblem as problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    url = load_database_settings().database_url
    try:
        print(_on_database(url, job))
    except AccountProblem as problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_UNAVAILABLE
    return EXIT_OK


def _on_database(url: str, job: Job) -> str:
    db = open_database(url)
    try:
        return job(db)
    except DBAPIError as error:
        raise DatabaseUnavailable(_cannot_use(url, error)) from None
    finally:
        db.dispose()


def open_database(url: str) -> Database:
    """The bot's database with a current schema: SQLite is migrated in place, never PostgreSQL."""
    try:
        ensure_schema(url)
    except SchemaError as error:
        raise DatabaseUnavailable(str(error)) from None
    except DBAPIError as error:
        raise DatabaseUnavailable(_cannot_use(url, error)) from None
    return Database.from_url(url)


def _cannot_use(url: str, error: DBAPIError) -> str:
    reason = str(error.orig or error).strip().splitlines()[0]
    where = normalize_url(url).render_as_string(hide_password=True)
    return f"Cannot use {where}: {reason}"


def _prepare_add(args: argparse.Namespace) -> Job:
    account = new_account(
        name=args.name,
        tier=args.tier,
        channels=args.channels,
        teams=args.teams,
        admins=args.admins,
        project=args.project,
    )
    now = SystemClock().now()
    return lambda db: f"Added {describe(add_account(db, account, now=now))}"


def _prepare_update(args: argparse.Namespace) -> Job:
    changes = account_changes(
        rename=args.rename,
        tier=args.tier,
        add_channels=args.add_channel,
        remove_channels=args.remove_channel,
        add_teams=args.add_team,
        remove_teams=args.remove_team,
        add_admins=args.add_admin,
        remove_admins=args.remove_admin,
        project=args.project,
        clear_project=args.no_project,
    )
    now = SystemClock().now()
    return lambda db: f"Updated {describe(update_account(db, args.name, changes, now=now))}"


def _prepare_remove(args: argparse.Namespace) -> Job:
    def remove(db: Database) -> str:
        account = remove_account(db, args.name)
        return f"Removed {account.name}: {_listed(account.channel_ids)} no longer mapped."

    return remove


def _prepare_list(args: argparse.Namespace) -> Job:
    def listing(db: Database) -> str:
        accounts = list_accounts(db)
        if args.json:
            return json.dumps({"accounts": [account_json(a) for a in accounts]}, indent=2)
        return table(accounts)

    return listing


def describe(account: Account) -> str:
    """One line: the name, the tier, the lists, the default project."""
    return (
        f"{account.name} ({account.tier.value}): channels {_listed(account.channel_ids)}; "
        f"teams {_listed(account.team_ids)}; admins {_listed(account.admin_ids)}; "
        f"default project {account.project or 'none'}."
    )


def account_json(account: Account) -> dict[str, Any]:
    """An account as `accounts list --json` prints it."""
    return {
        "name": account.name,
        "tier": account.tier.value,
        "channels": list(account.channel_ids),
        "teams": list(account.team_ids),
        "admins": list(account.admin_ids),
        "project": account.project,
    }


def table(accounts: Sequence[Account]) -> str:
    """One line per account, names first."""
    if not accounts:
        return "No customer accounts yet: add one with `python -m bot accounts add`."
    rows = [["Name", "Tier", "Channels", "Teams", "Admins", "Default project"]]
    for account in accounts:
        lists = (account.channel_ids, account.team_ids, account.admin_ids)
        rows.append(
            [account.name, account.tier.value, *map(_listed, lists), account.project or "none"]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _listed(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "none"
