"""The tables: support requests, their timers, the event log and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import bot.db.account_tables  # noqa: F401  (customer accounts' tables, registered with these)
from bot.db import (
    connect_tables,  # noqa: F401  (Slack Connect's prompts, pins and notices)
    outage_tables,  # noqa: F401  (outage pages and notes, registered with these)
    status_tables,  # noqa: F401  (the status feed's tables, registered with these)
)
from bot.db.report_sql import request_scale_indexes
from bot.db.types import EnumText, UTCDateTime
from bot.domain.model import request_key
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.domain.timer_kinds import TimerKind


def _instant(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _enum(enum: type[StrEnum], length: int, *, index: bool = False) -> Any:
    return Field(sa_column=Column(EnumText(enum, length), nullable=False, index=index))


class SupportRequest(SQLModel, table=True):
    """One customer issue with its own Slack conversation and SLA clocks."""

    __tablename__ = "support_requests"
    __table_args__ = (
        UniqueConstraint("slack_channel_id", "thread_ts", name="uq_request_conversation"),
        Index(
            "uq_request_customer_thread", "customer_channel_id", "customer_thread_ts", unique=True
        ),
        Index("ix_request_account", "account_id"),
        Index("ix_request_requester", "team_id", "requester_id"),
        Index("ix_request_project", "team_id", "project"),
        *request_scale_indexes(),  # 0009: the Home, the engineer queue, the SLA report
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    requester_id: str = Field(max_length=32)
    requester_name: str = Field(default="", max_length=255)
    requester_contact: str | None = Field(default=None, max_length=254)
    subject: str = Field(max_length=255)
    description: str = Field(sa_column=Column(Text, nullable=False))
    priority: Priority = _enum(Priority, 16)
    intake_channel: IntakeChannel = _enum(IntakeChannel, 16)
    area: AffectedArea = _enum(AffectedArea, 32)
    contact: ContactPreference = _enum(ContactPreference, 16)
    project: str | None = Field(default=None, max_length=120)
    kind: RequestKind = _enum(RequestKind, 16)
    status: RequestStatus = _enum(RequestStatus, 32, index=True)
    assignee_id: str | None = Field(default=None, max_length=32, index=True)
    slack_channel_id: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    conversation_pending: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    incident_id: str | None = Field(default=None, max_length=64)
    # A customer organisation's request (§11): its account, and the customer's thread in the
    # shared channel when it was filed there (the triage card is slack_channel_id/thread_ts).
    account_id: int | None = Field(default=None)
    customer_channel_id: str | None = Field(default=None, max_length=32)
    customer_thread_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _instant()
    updated_at: datetime = _instant()
    first_response_due_at: datetime = _instant()
    first_responded_at: datetime | None = _instant(nullable=True)
    first_responder_id: str | None = Field(default=None, max_length=32)
    breached_at: datetime | None = _instant(nullable=True)
    resolution_due_at: datetime | None = _instant(nullable=True)
    resolution_paused_since: datetime | None = _instant(nullable=True)
    resolution_paused_seconds: int = Field(default=0)
    resolution_breached_at: datetime | None = _instant(nullable=True)
    escalated_to_development_at: datetime | None = _instant(nullable=True)
    escalated_to_leadership_at: datetime | None = _instant(nullable=True)
    last_engineer_reply_at: datetime | None = _instant(nullable=True)
    resolved_at: datetime | None = _instant(nullable=True)
    # Bumped on every change that moves a clock: a timer scheduled for an older
    # version is stale and does nothing when it fires.
    version: int = Field(default=1)
    # The targets and reminder fractions of its filing (bot.domain.sla_terms.SlaTerms).
    sla_terms: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The SLA report's stored facts (bot.domain.report_facts), the calendar and the columns
    # they were worked out from; bot.db.report_sql says when they are stale.
    report_calendar: str | None = Field(default=None, max_length=16)
    report_basis_responded_at: datetime | None = _instant(nullable=True)
    report_basis_resolved_at: datetime | None = _instant(nullable=True)
    report_basis_paused_since: datetime | None = _instant(nullable=True)
    report_basis_paused_seconds: int | None = Field(default=None)
    report_response_business_seconds: float | None = Field(default=None)
    report_response_wall_seconds: float | None = Field(default=None)
    report_resolution_seconds: float | None = Field(default=None)
    report_past_target_at: datetime | None = _instant(nullable=True)

    @property
    def key(self) -> str:
        """The public key customers and engineers quote, e.g. KS-1042."""
        return request_key(self.id or 0)


class TimerState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"
    FAILED = "failed"


class Timer(SQLModel, table=True):
    """A durable instant at which the desk must act on a request (ping, breach, nudge)."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint(
            "request_id", "kind", "fire_at", "request_version", name="uq_timer_per_version"
        ),
        # The scheduler only ever scans pending rows by due instant: keep that index small.
        Index(
            "ix_timer_due",
            "fire_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="support_requests.id", index=True)
    kind: TimerKind = _enum(TimerKind, 32)
    fire_at: datetime = _instant()
    state: str = Field(default=TimerState.PENDING.value, max_length=16)
    request_version: int
    fraction: float | None = None
    attempts: int = Field(default=0)
    claimed_until: datetime | None = _instant(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    acted_at: datetime | None = _instant(nullable=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = _instant()


class RequestEvent(SQLModel, table=True):
    """Append-only log of what happened to a request and who did it."""

    __tablename__ = "request_events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int | None = Field(default=None, foreign_key="support_requests.id", index=True)
    at: datetime = _instant()
    kind: str = Field(max_length=48)
    actor_id: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class IdempotencyKey(SQLModel, table=True):
    """A Slack delivery already handled: its key is unique, so a retry cannot act twice."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_created", "created_at"),)

    key: str = Field(primary_key=True, max_length=255)
    scope: str = Field(max_length=32)
    created_at: datetime = _instant()
    request_id: int | None = Field(default=None, foreign_key="support_requests.id")


class ChannelPace(SQLModel, table=True):
    """When a channel may next receive a message from any replica (Slack: ~1 per second)."""

    __tablename__ = "channel_pace"

    channel_id: str = Field(primary_key=True, max_length=32)
    next_post_at: float = Field(default=0.0)


class ConversationThread(SQLModel, table=True):
    """Every thread a request's conversation has lived in: replies in an old one still count."""

    __tablename__ = "conversation_threads"
    __table_args__ = (UniqueConstraint("channel_id", "thread_ts", name="uq_conversation_thread"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="support_requests.id", index=True)
    channel_id: str = Field(max_length=32)
    thread_ts: str = Field(max_length=32)
    opened_at: datetime = _instant()
