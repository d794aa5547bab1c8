"""Customer accounts: which organisation a shared channel or a Slack team belongs to, and the
operator's changes (`python -m bot accounts`).

Every change is checked whole in one transaction: a clash with another account (its name in
any case, a channel or team it holds) raises `AccountProblem` and writes nothing.
"""

from __future__ import annotations

from typing import Protocol

from pendulum import DateTime

from bot.db.engine import Database
from bot.db.uow import UnitOfWork
from bot.domain.accounts import Account, AccountChanges, AccountProblem, apply_changes


class HasDatabase(Protocol):
    """Anything holding the desk's database: the `Desk`, its `Records`."""

    @property
    def db(self) -> Database: ...


def account_for_channel(desk: HasDatabase, channel_id: str) -> Account | None:
    """The customer account a shared channel is mapped to, if any."""
    with desk.db.unit_of_work() as uow:
        return uow.accounts.by_channel(channel_id)


def account_for_team(desk: HasDatabase, team_id: str) -> Account | None:
    """The customer account a Slack workspace (T…) or organisation (E…) belongs to, if any."""
    with desk.db.unit_of_work() as uow:
        return uow.accounts.by_team(team_id)


def account_by_id(db: Database, account_id: int) -> Account | None:
    """The account a request belongs to (None once an operator removed it)."""
    with db.unit_of_work() as uow:
        return uow.accounts.by_id(account_id)


def is_shared_channel(db: Database, channel_id: str) -> bool:
    """Whether a channel is a customer's shared channel: nothing internal may go there."""
    with db.unit_of_work() as uow:
        return bool(uow.accounts.channel_owners([channel_id]))


def list_accounts(db: Database) -> list[Account]:
    """Every account, by name."""
    with db.unit_of_work() as uow:
        return uow.accounts.all()


def add_account(db: Database, account: Account, *, now: DateTime) -> Account:
    """Store a new account (built by `bot.domain.accounts.new_account`)."""
    with db.unit_of_work() as uow:
        existing = uow.accounts.named(account.name)
        if existing is not None:
            raise AccountProblem(f"An account named {existing.name!r} already exists.")
        _check_free(uow, account)
        return uow.accounts.add(account, now=now)


def update_account(db: Database, name: str, changes: AccountChanges, *, now: DateTime) -> Account:
    """Apply an operator's changes to the account of this name (any case)."""
    with db.unit_of_work() as uow:
        account = _existing(uow, name, lock=True)
        changed = apply_changes(account, changes)
        if changed.key != account.key:
            other = uow.accounts.named(changed.name)
            if other is not None:
                raise AccountProblem(f"An account named {other.name!r} already exists.")
        _check_free(uow, changed)
        uow.accounts.save(changed, now=now)
        return changed


def remove_account(db: Database, name: str) -> Account:
    """Forget the account of this name (any case); its channels are no longer mapped."""
    with db.unit_of_work() as uow:
        account = _existing(uow, name, lock=True)
        uow.accounts.remove(account.id)
        return account


def _existing(uow: UnitOfWork, name: str, *, lock: bool) -> Account:
    account = uow.accounts.named(name, lock=lock)
    if account is None:
        raise AccountProblem(f"No account named {name.strip()!r}.")
    return account


def _check_free(uow: UnitOfWork, account: Account) -> None:
    """Each channel and each team belongs to one account only."""
    held = (
        ("Channel", uow.accounts.channel_owners(account.channel_ids)),
        ("Team", uow.accounts.team_owners(account.team_ids)),
    )
    for what, owners in held:
        for slack_id, (owner_id, owner_name) in sorted(owners.items()):
            if owner_id != account.id:
                raise AccountProblem(f"{what} {slack_id} already belongs to account {owner_name}.")
