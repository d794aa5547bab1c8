"""Customer accounts: rows in, `Account` values out.

The unique keys (a name whatever its case, a channel, a team) are the last word when two
operators change accounts at once: a clash then becomes an `AccountProblem`, never a crash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pendulum import DateTime
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from bot.db.account_tables import (
    AccountAdminRow,
    AccountChannelRow,
    AccountTeamRow,
    CustomerAccountRow,
)
from bot.domain.accounts import Account, AccountProblem, PlanTier, name_key

Row = CustomerAccountRow
Links = dict[int, list[str]]
# Each list of an account: its table, the column naming the account, the column of values.
LinkTable = tuple[type[SQLModel], Any, Any]
CHANNELS: LinkTable = (
    AccountChannelRow,
    AccountChannelRow.account_id,
    AccountChannelRow.channel_id,
)
TEAMS: LinkTable = (AccountTeamRow, AccountTeamRow.account_id, AccountTeamRow.team_id)
ADMINS: LinkTable = (AccountAdminRow, AccountAdminRow.account_id, AccountAdminRow.user_id)


class AccountRecords:
    """The desk's customer accounts, bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def named(self, name: str, *, lock: bool = False) -> Account | None:
        """The account of this name in any case; `lock` holds its row until the commit."""
        statement = select(Row).where(col(Row.name_key) == name_key(name))
        if lock:
            statement = statement.with_for_update()
        return self._one(self._session.exec(statement).first())

    def all(self) -> list[Account]:
        """Every account, by name."""
        rows = list(self._session.exec(select(Row).order_by(col(Row.name_key))).all())
        return self._accounts(rows)

    def by_id(self, account_id: int) -> Account | None:
        """The account of this id, if it still exists."""
        return self._one(self._session.get(Row, account_id))

    def names(self, account_ids: Collection[int]) -> dict[int, str]:
        """The names of these accounts (one query; ids of removed accounts are left out)."""
        if not account_ids:
            return {}
        statement = select(Row.id, Row.name).where(col(Row.id).in_(sorted(set(account_ids))))
        rows = self._session.exec(statement).all()
        return {row_id: name for row_id, name in rows if row_id is not None}

    def by_channel(self, channel_id: str) -> Account | None:
        """The account a shared channel belongs to."""
        statement = select(Row).join(
            AccountChannelRow, col(AccountChannelRow.account_id) == col(Row.id)
        )
        statement = statement.where(col(AccountChannelRow.channel_id) == channel_id)
        return self._one(self._session.exec(statement).first())

    def by_team(self, team_id: str) -> Account | None:
        """The account a Slack team (workspace or organisation) belongs to."""
        statement = select(Row).join(AccountTeamRow, col(AccountTeamRow.account_id) == col(Row.id))
        statement = statement.where(col(AccountTeamRow.team_id) == team_id)
        return self._one(self._session.exec(statement).first())

    def channel_owners(self, channel_ids: Collection[str]) -> dict[str, tuple[int, str]]:
        """Of these channels, those mapped already: channel → (account id, account name)."""
        return self._owners(CHANNELS, channel_ids)

    def team_owners(self, team_ids: Collection[str]) -> dict[str, tuple[int, str]]:
        """Of these teams, those mapped already: team → (account id, account name)."""
        return self._owners(TEAMS, team_ids)

    def add(self, account: Account, *, now: DateTime) -> Account:
        """Store a new account; the stored value has its id."""
        row = Row(
            name=account.name,
            name_key=account.key,
            tier=account.tier,
            project=account.project,
            created_at=now,
            updated_at=now,
        )
        with _clashes():
            self._session.add(row)
            self._session.flush()
            stored = replace(account, id=row.id or 0)
            self._link(stored)
        return stored

    def save(self, account: Account, *, now: DateTime) -> None:
        """Store an account's new name, tier, project and lists."""
        row = self._session.get(Row, account.id)
        if row is None:
            raise AccountProblem(f"No account named {account.name!r}.")
        row.name, row.name_key, row.tier = account.name, account.key, account.tier
        row.project, row.updated_at = account.project, now
        with _clashes():
            self._session.add(row)
            self._session.flush()
            self._unlink(account.id)
            self._link(account)

    def remove(self, account_id: int) -> None:
        """Forget an account with its channels, teams and admins."""
        self._unlink(account_id)
        self._session.exec(delete(Row).where(col(Row.id) == account_id))

    def _one(self, row: Row | None) -> Account | None:
        return None if row is None else self._accounts([row])[0]

    def _accounts(self, rows: Sequence[Row]) -> list[Account]:
        ids = [row.id for row in rows if row.id is not None]
        channels, teams, admins = (self._links(table, ids) for table in (CHANNELS, TEAMS, ADMINS))
        return [
            Account(
                name=row.name,
                tier=PlanTier(row.tier),
                channel_ids=tuple(sorted(channels[row.id or 0])),
                team_ids=tuple(sorted(teams[row.id or 0])),
                admin_ids=tuple(sorted(admins[row.id or 0])),
                project=row.project,
                id=row.id or 0,
            )
            for row in rows
        ]

    def _links(self, table: LinkTable, account_ids: list[int]) -> Links:
        _, owner, column = table
        found: Links = defaultdict(list)
        if account_ids:
            statement = select(owner, column).where(owner.in_(account_ids))
            for account_id, value in self._session.exec(statement).all():
                found[account_id].append(value)
        return found

    def _owners(self, table: LinkTable, values: Collection[str]) -> dict[str, tuple[int, str]]:
        if not values:
            return {}
        _, owner, column = table
        statement = (
            select(column, owner, col(Row.name))
            .join(Row, col(Row.id) == owner)
            .where(column.in_(list(values)))
        )
        return {
            value: (account_id, name) for value, account_id, name in self._session.exec(statement)
        }

    def _link(self, account: Account) -> None:
        lists = [
            (CHANNELS, account.channel_ids),
            (TEAMS, account.team_ids),
            (ADMINS, account.admin_ids),
        ]
        for (model, _, column), values in lists:
            if values:
                rows = [{"account_id": account.id, column.key: value} for value in values]
                self._session.exec(insert(model).values(rows))

    def _unlink(self, account_id: int) -> None:
        for model, owner, _ in (CHANNELS, TEAMS, ADMINS):
            self._session.exec(delete(model).where(owner == account_id))


@contextmanager
def _clashes() -> Iterator[None]:
    """A unique key taken by a change committed meanwhile: one line, and nothing written."""
    try:
        yield
    except IntegrityError:
        raise AccountProblem(
            "Another change to the accounts took this name, channel or team meanwhile: "
            "list the accounts and try again."
        ) from None
