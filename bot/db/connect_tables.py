"""Slack Connect's tables: impact prompts in shared channels, the pinned help message, and the
internal notice about a shared channel no account maps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime


def _instant(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class SharedPromptRow(SQLModel, table=True):
    """The impact prompt answering one customer message: one per message, by constraint."""

    __tablename__ = "shared_prompts"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_ts", name="uq_shared_prompt_message"),
        # The expiry sweep scans only open prompts by instant: closed ones leave the index.
        Index(
            "ix_shared_prompt_open",
            "expires_at",
            postgresql_where=sql_text("closed_at IS NULL"),
            sqlite_where=sql_text("closed_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    team_id: str | None = Field(default=None, max_length=32)
    account_id: int
    # The customer's words as the request's description, should they pick an impact.
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    prompt_ts: str | None = Field(default=None, max_length=32)
    request_id: int | None = Field(default=None)
    created_at: datetime = _instant()
    expires_at: datetime = _instant()
    # Set once the prompt no longer offers anything: filed, or expired and quietly closed.
    closed_at: datetime | None = _instant(nullable=True)


class SharedChannelPinRow(SQLModel, table=True):
    """The "Need help?" message pinned in a mapped shared channel (claimed, then posted)."""

    __tablename__ = "shared_channel_pins"

    channel_id: str = Field(primary_key=True, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    claimed_at: datetime = _instant()
    pinned_at: datetime | None = _instant(nullable=True)


class UnmappedChannelNoticeRow(SQLModel, table=True):
    """A shared channel no account maps, told to the support channel once."""

    __tablename__ = "unmapped_channel_notices"

    channel_id: str = Field(primary_key=True, max_length=32)
    team_id: str | None = Field(default=None, max_length=32)
    noticed_at: datetime = _instant()
