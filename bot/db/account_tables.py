"""Customer accounts: the organisation, its shared channels, its Slack teams, its chat admins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.types import EnumText, UTCDateTime
from bot.domain.accounts import NAME_MAX, PROJECT_MAX, SLACK_ID_MAX, PlanTier

# Case folding can lengthen a name (ß -> ss): room for three characters per character.
NAME_KEY_MAX = 3 * NAME_MAX + 40


def _instant() -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))


class CustomerAccountRow(SQLModel, table=True):
    """One customer organisation; `name_key` (bot.domain.accounts.name_key) keeps names unique
    whatever their case."""

    __tablename__ = "customer_accounts"
    __table_args__ = (UniqueConstraint("name_key", name="uq_account_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_MAX)
    name_key: str = Field(max_length=NAME_KEY_MAX)
    tier: PlanTier = Field(sa_column=Column(EnumText(PlanTier, 16), nullable=False))
    project: str | None = Field(default=None, max_length=PROJECT_MAX)
    created_at: datetime = _instant()
    updated_at: datetime = _instant()


class AccountChannelRow(SQLModel, table=True):
    """A Slack Connect channel shared with the customer: each maps to one account."""

    __tablename__ = "account_channels"

    channel_id: str = Field(primary_key=True, max_length=SLACK_ID_MAX)
    account_id: int = Field(foreign_key="customer_accounts.id", index=True)


class AccountTeamRow(SQLModel, table=True):
    """A Slack workspace (T…) or Enterprise Grid organisation (E…) of the customer's."""

    __tablename__ = "account_teams"

    team_id: str = Field(primary_key=True, max_length=SLACK_ID_MAX)
    account_id: int = Field(foreign_key="customer_accounts.id", index=True)


class AccountAdminRow(SQLModel, table=True):
    """A person the desk records as an owner or administrator of the customer's organisation."""

    __tablename__ = "account_admins"

    account_id: int = Field(foreign_key="customer_accounts.id", primary_key=True)
    user_id: str = Field(primary_key=True, max_length=SLACK_ID_MAX)
