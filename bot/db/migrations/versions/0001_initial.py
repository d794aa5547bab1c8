"""Initial schema: requests, timers, request events, idempotency keys, channel pace.

Revision ID: 0001
Revises:
Create Date: 2026-01-05 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Instants are stored as UTC (bot.db.types.UTCDateTime wraps this type in the models).
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables and their indexes."""
    _create_support_requests()
    _create_timers()
    _create_request_events()
    _create_idempotency_keys()
    _create_channel_pace()


def _create_support_requests() -> None:
    op.create_table(
        "support_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("requester_id", sa.String(length=32), nullable=False),
        sa.Column("requester_name", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("intake_channel", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=16), nullable=False),
        sa.Column("project", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("assignee_id", sa.String(length=32), nullable=True),
        sa.Column("slack_channel_id", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("incident_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("first_response_due_at", Instant, nullable=False),
        sa.Column("first_responded_at", Instant, nullable=True),
        sa.Column("first_responder_id", sa.String(length=32), nullable=True),
        sa.Column("breached_at", Instant, nullable=True),
        sa.Column("resolution_due_at", Instant, nullable=True),
        sa.Column("resolution_paused_since", Instant, nullable=True),
        sa.Column("resolution_paused_seconds", sa.Integer(), nullable=False),
        sa.Column("resolution_breached_at", Instant, nullable=True),
        sa.Column("escalated_to_development_at", Instant, nullable=True),
        sa.Column("escalated_to_leadership_at", Instant, nullable=True),
        sa.Column("last_engineer_reply_at", Instant, nullable=True),
        sa.Column("resolved_at", Instant, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_channel_id", "thread_ts", name="uq_request_conversation"),
    )
    op.create_index("ix_request_requester", "support_requests", ["team_id", "requester_id"])
    op.create_index("ix_request_project", "support_requests", ["team_id", "project"])
    op.create_index("ix_support_requests_status", "support_requests", ["status"])
    op.create_index("ix_support_requests_assignee_id", "support_requests", ["assignee_id"])


def _create_timers() -> None:
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("fire_at", Instant, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("request_version", sa.Integer(), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", Instant, nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("acted_at", Instant, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["support_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "request_id", "kind", "fire_at", "request_version", name="uq_timer_per_version"
        ),
    )
    op.create_index("ix_timers_request_id", "timers", ["request_id"])
    # Partial: the scheduler scans only pending rows, so the index stays small.
    op.create_index(
        "ix_timer_due",
        "timers",
        ["fire_at"],
        postgresql_where=sa.text("state = 'pending'"),
        sqlite_where=sa.text("state = 'pending'"),
    )


def _create_request_events() -> None:
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("at", Instant, nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["support_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_events_request_id", "request_events", ["request_id"])


def _create_idempotency_keys() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["support_requests.id"]),
        sa.PrimaryKeyConstraint("key"),
    )


def _create_channel_pace() -> None:
    op.create_table(
        "channel_pace",
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("next_post_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id"),
    )


def downgrade() -> None:
    """Drop everything the upgrade created."""
    op.drop_table("channel_pace")
    op.drop_table("idempotency_keys")
    op.drop_table("request_events")
    op.drop_index("ix_timer_due", table_name="timers")
    op.drop_index("ix_timers_request_id", table_name="timers")
    op.drop_table("timers")
    op.drop_index("ix_support_requests_assignee_id", table_name="support_requests")
    op.drop_index("ix_support_requests_status", table_name="support_requests")
    op.drop_index("ix_request_project", table_name="support_requests")
    op.drop_index("ix_request_requester", table_name="support_requests")
    op.drop_table("support_requests")
