"""Requests during a vendor outage: the one page per incident, its summary, the resolution notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime


def _instant(*, nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class OutageSummaryRow(SQLModel, table=True):
    """An incident's one page of on-call and its summary message in the on-call channel.

    The unique feed id makes the first Critical request of an outage the only one that
    pages, and the summary one message, however many replicas file at once.
    """

    __tablename__ = "outage_summaries"
    __table_args__ = (UniqueConstraint("feed_id", name="uq_outage_summary_feed_id"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: str = Field(max_length=64)
    paged_request_id: int = Field(foreign_key="support_requests.id")
    # bot.domain.incident_sync.Announcement: owed, posted or failed
    state: str = Field(max_length=16, index=True)
    version: int = Field(default=1)  # bumped on every change the summary should show
    shown_version: int = Field(default=0)  # the version the message in Slack shows
    attempts: int = Field(default=0)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _instant()


class OutageMemberRow(SQLModel, table=True):
    """A Critical request filed during an outage; `paged` when its own root paged on-call."""

    __tablename__ = "outage_members"

    request_id: int = Field(primary_key=True, foreign_key="support_requests.id")
    feed_id: str = Field(max_length=64, index=True)
    paged: bool = Field(sa_column=Column(Boolean, nullable=False))
    joined_at: datetime = _instant()


class IncidentNoteRow(SQLModel, table=True):
    """The note a linked request's conversation is owed when its incident resolves (one each)."""

    __tablename__ = "incident_notes"
    __table_args__ = (UniqueConstraint("feed_id", "request_id", name="uq_incident_note_request"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: str = Field(max_length=64)
    request_id: int = Field(foreign_key="support_requests.id")
    # bot.domain.incident_sync.Reply: owed, posted, quiet (closed meanwhile) or failed
    state: str = Field(max_length=16, index=True)
    attempts: int = Field(default=0)
    reply_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _instant()
