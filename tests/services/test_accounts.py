"""Customer accounts as use cases: lookups for the Slack side, operator changes checked whole."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pendulum
import pytest

from bot.db.engine import Database
from bot.domain.accounts import AccountProblem, PlanTier, account_changes, new_account
from bot.services.accounts import (
    account_for_channel,
    account_for_team,
    add_account,
    list_accounts,
    remove_account,
    update_account,
)

NOW = pendulum.datetime(2026, 12, 1, 15, 0)
ACME = new_account(
    name="Acme", tier="enterprise", channels=["C0ACME"], teams=["T0ACME"], admins=["U0ADMIN"]
)
GLOBEX = new_account(name="Globex", tier="professional", channels=["C0GLOBEX"], teams=["E0GLOBEX"])


@dataclass(frozen=True)
class DeskLike:
    """All the lookups need of a desk: its database."""

    db: Database


@pytest.fixture
def desk(database: Database) -> DeskLike:
    add_account(database, ACME, now=NOW)
    add_account(database, GLOBEX, now=NOW)
    return DeskLike(database)


def test_a_shared_channel_or_a_team_leads_to_its_account(desk: DeskLike) -> None:
    acme = account_for_channel(desk, "C0ACME")
    assert acme is not None and acme.name == "Acme" and acme.tier is PlanTier.ENTERPRISE
    assert account_for_team(desk, "E0GLOBEX") == account_for_channel(desk, "C0GLOBEX")
    assert account_for_channel(desk, "C0UNKNOWN") is None
    assert account_for_team(desk, "T0UNKNOWN") is None


@pytest.mark.parametrize(
    ("account", "message"),
    [
        (replace(ACME, name="ACME", channel_ids=("C0NEW",), team_ids=()), "named 'Acme' already"),
        (replace(ACME, name="Initech", team_ids=()), "Channel C0ACME already belongs to account"),
        (replace(ACME, name="Initech", channel_ids=("C0NEW",)), "Team T0ACME already belongs"),
    ],
)
def test_adding_a_clash_writes_nothing(desk: DeskLike, account: object, message: str) -> None:
    before = list_accounts(desk.db)
    with pytest.raises(AccountProblem, match=message):
        add_account(desk.db, account, now=NOW)  # type: ignore[arg-type]
    assert list_accounts(desk.db) == before


def test_an_update_is_saved_whole(desk: DeskLike) -> None:
    changes = account_changes(
        rename="Globex Corporation", tier="ultimate", add_admins=["U0NEW"], project="Rollout"
    )
    changed = update_account(desk.db, "GLOBEX", changes, now=NOW)
    assert changed.name == "Globex Corporation" and changed.tier is PlanTier.ULTIMATE
    assert account_for_channel(desk, "C0GLOBEX") == changed
    assert [a.name for a in list_accounts(desk.db)] == ["Acme", "Globex Corporation"]


def test_a_rename_may_change_only_the_case(desk: DeskLike) -> None:
    changed = update_account(desk.db, "acme", account_changes(rename="ACME"), now=NOW)
    assert changed.name == "ACME"


@pytest.mark.parametrize(
    ("name", "changes", "message"),
    [
        ("Globex", {"rename": "acme"}, "named 'Acme' already exists"),
        ("Globex", {"add_channels": ["C0ACME"]}, "Channel C0ACME already belongs to account Acme"),
        ("Globex", {"add_teams": ["T0ACME"]}, "Team T0ACME already belongs to account Acme"),
        ("Globex", {"remove_admins": ["U0ADMIN"]}, "Globex has no admin U0ADMIN"),
        ("Initech", {"tier": "ultimate"}, "No account named 'Initech'"),
    ],
)
def test_a_bad_update_writes_nothing(
    desk: DeskLike, name: str, changes: dict[str, object], message: str
) -> None:
    before = list_accounts(desk.db)
    with pytest.raises(AccountProblem, match=message):
        update_account(desk.db, name, account_changes(**changes), now=NOW)  # type: ignore[arg-type]
    assert list_accounts(desk.db) == before


def test_removing_frees_the_channels_for_another_account(desk: DeskLike) -> None:
    removed = remove_account(desk.db, "acme")
    assert removed.name == "Acme"
    assert account_for_channel(desk, "C0ACME") is None
    add_account(desk.db, replace(ACME, name="Acme Two"), now=NOW)
    assert [a.name for a in list_accounts(desk.db)] == ["Acme Two", "Globex"]
    with pytest.raises(AccountProblem, match="No account named 'Acme'"):
        remove_account(desk.db, "Acme")
