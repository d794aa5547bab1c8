"""Customer accounts in the database, on SQLite and PostgreSQL: round trips and constraints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pendulum
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.db.engine import Database
from bot.domain.accounts import Account, AccountProblem, PlanTier, new_account

NOW = pendulum.datetime(2026, 12, 1, 15, 0)
ACCOUNT_TABLES = {"customer_accounts", "account_channels", "account_teams", "account_admins"}


def _acme(**overrides: Any) -> Account:
    fields: dict[str, Any] = {
        "name": "Acme",
        "tier": "enterprise",
        "channels": ["C0ACME1", "C0ACME2"],
        "teams": ["T0ACME"],
        "admins": ["U0ADMIN", "W0OWNER"],
        "project": "Migration",
    }
    return new_account(**(fields | overrides))


def _add(database: Database, account: Account) -> Account:
    with database.unit_of_work() as uow:
        return uow.accounts.add(account, now=NOW)


def _all(database: Database) -> list[Account]:
    with database.unit_of_work() as uow:
        return uow.accounts.all()


def test_the_migration_builds_the_four_tables(database: Database) -> None:
    assert set(inspect(database.engine).get_table_names()) >= ACCOUNT_TABLES


def test_an_account_round_trips_and_is_found_by_channel_team_and_name(
    database: Database,
) -> None:
    stored = _add(database, _acme())
    assert stored.id > 0
    assert stored == replace(_acme(), id=stored.id)
    with database.unit_of_work() as uow:
        assert uow.accounts.by_channel("C0ACME2") == stored
        assert uow.accounts.by_team("T0ACME") == stored
        assert uow.accounts.named("ACME") == stored
        assert uow.accounts.named("acme", lock=True) == stored
        assert uow.accounts.by_channel("C0OTHER") is None
        assert uow.accounts.by_team("T0OTHER") is None
        assert uow.accounts.named("Globex") is None


def test_accounts_list_by_name_with_their_own_lists(database: Database) -> None:
    globex = _add(database, _acme(name="globex", channels=["C0GLOBEX"], teams=[], admins=[]))
    acme = _add(database, _acme())
    assert _all(database) == [acme, globex]
    assert globex.team_ids == () and globex.admin_ids == () and globex.project == "Migration"


def test_save_replaces_fields_and_lists(database: Database) -> None:
    stored = _add(database, _acme())
    changed = replace(
        stored,
        name="ACME Corp",
        tier=PlanTier.ULTIMATE,
        channel_ids=("C0ACME2", "C0NEW"),
        team_ids=(),
        admin_ids=("U0ADMIN",),
        project=None,
    )
    with database.unit_of_work() as uow:
        uow.accounts.save(changed, now=NOW.add(hours=1))
    assert _all(database) == [changed]
    with database.unit_of_work() as uow:
        assert uow.accounts.by_channel("C0ACME1") is None
        assert uow.accounts.by_team("T0ACME") is None


def test_remove_forgets_the_account_and_its_lists(database: Database) -> None:
    stored = _add(database, _acme())
    kept = _add(database, _acme(name="Globex", channels=["C0GLOBEX"], teams=[], admins=["U0ADMIN"]))
    with database.unit_of_work() as uow:
        uow.accounts.remove(stored.id)
    assert _all(database) == [kept]
    with database.engine.connect() as connection:
        for table in ACCOUNT_TABLES - {"customer_accounts"}:
            owners = connection.execute(text(f"SELECT DISTINCT account_id FROM {table}"))
            assert {row[0] for row in owners} <= {kept.id}


def test_owners_name_the_account_holding_each_channel_and_team(database: Database) -> None:
    stored = _add(database, _acme())
    with database.unit_of_work() as uow:
        channels = uow.accounts.channel_owners(["C0ACME1", "C0FREE"])
        teams = uow.accounts.team_owners(["T0ACME"])
        assert uow.accounts.channel_owners([]) == {}
    assert channels == {"C0ACME1": (stored.id, "Acme")}
    assert teams == {"T0ACME": (stored.id, "Acme")}


@pytest.mark.parametrize(
    "clash",
    [
        {"name": "ACME", "channels": ["C0OTHER"], "teams": []},  # the name, in another case
        {"name": "Globex", "channels": ["C0ACME1"], "teams": []},  # a channel
        {"name": "Globex", "channels": ["C0OTHER"], "teams": ["T0ACME"]},  # a team
    ],
)
def test_a_clash_past_the_checks_is_one_problem_and_nothing_written(
    database: Database, clash: dict[str, Any]
) -> None:
    acme = _add(database, _acme())
    with pytest.raises(AccountProblem, match="meanwhile"):
        _add(database, _acme(**clash))
    assert _all(database) == [acme]


def _insert(database: Database, statement: str, **values: Any) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(statement), values)


ACCOUNT_ROW = (
    "INSERT INTO customer_accounts (id, name, name_key, tier, created_at, updated_at)"
    " VALUES (:id, :name, :key, 'enterprise', :at, :at)"
)
AT = "2026-12-01 15:00:00"  # the UTC wall time, as SQLite keeps it; fine for PostgreSQL


CHANNEL_ROW = "INSERT INTO account_channels (channel_id, account_id) VALUES (:value, :account)"
TEAM_ROW = "INSERT INTO account_teams (team_id, account_id) VALUES (:value, :account)"
ADMIN_ROW = "INSERT INTO account_admins (account_id, user_id) VALUES (:account, :value)"


@pytest.mark.parametrize(
    "second",
    [
        lambda db: _insert(db, ACCOUNT_ROW, id=3, name="ACME", key="acme", at=AT),
        lambda db: _insert(db, CHANNEL_ROW, value="C0ACME1", account=2),
        lambda db: _insert(db, TEAM_ROW, value="T0ACME", account=2),
        lambda db: _insert(db, ADMIN_ROW, value="U0ADMIN", account=1),
        lambda db: _insert(db, CHANNEL_ROW, value="C0NOBODY", account=99),
    ],
    ids=["name", "channel", "team", "admin", "no-account"],
)
def test_the_database_itself_keeps_names_channels_and_teams_unique(
    database: Database, second: Callable[[Database], None]
) -> None:
    """Names (by their key), channels and teams are unique; links need their account."""
    _insert(database, ACCOUNT_ROW, id=1, name="Acme", key="acme", at=AT)
    _insert(database, ACCOUNT_ROW, id=2, name="Globex", key="globex", at=AT)
    _insert(database, CHANNEL_ROW, value="C0ACME1", account=1)
    _insert(database, TEAM_ROW, value="T0ACME", account=1)
    _insert(database, ADMIN_ROW, value="U0ADMIN", account=1)
    with pytest.raises(IntegrityError):
        second(database)
