"""The vendor's incidents and updates as the desk keeps them, and the status poller's lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime


def _instant(*, nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class StatusIncidentRow(SQLModel, table=True):
    """One vendor incident, keyed by the feed's id, and its announcement in Slack."""

    __tablename__ = "status_incidents"
    __table_args__ = (UniqueConstraint("feed_id", name="uq_status_incident_feed_id"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: str = Field(max_length=64)
    name: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=32)
    impact: str = Field(max_length=32)
    created_at: datetime = _instant()
    resolved_at: datetime | None = _instant(nullable=True)
    shortlink: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    components: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # bot.domain.incident_sync.Announcement
    announcement: str = Field(max_length=16, index=True)
    needs_refresh: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    attempts: int = Field(default=0)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)


class StatusIncidentUpdateRow(SQLModel, table=True):
    """One update of an incident's timeline, and its reply in the announcement's thread."""

    __tablename__ = "status_incident_updates"
    __table_args__ = (UniqueConstraint("incident_id", "feed_id", name="uq_status_update_feed_id"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="status_incidents.id", index=True)
    feed_id: str = Field(max_length=64)
    status: str = Field(max_length=32)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _instant()
    # bot.domain.incident_sync.Reply
    reply: str = Field(max_length=16, index=True)
    attempts: int = Field(default=0)
    reply_ts: str | None = Field(default=None, max_length=32)


class StatusPollerRow(SQLModel, table=True):
    """The lease that lets one replica poll the feed; times are real epoch seconds."""

    __tablename__ = "status_poller"

    name: str = Field(primary_key=True, max_length=32)
    holder: str | None = Field(default=None, max_length=96)
    lease_until: float = Field(default=0.0)
