"""Slack Connect: a request's account and customer thread, prompts, pins, unmapped channels.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-22 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the request's account and customer thread; create the three shared-channel tables."""
    with op.batch_alter_table("support_requests") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("customer_channel_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("customer_thread_ts", sa.String(length=32), nullable=True))
    # Indexes, not a table constraint: SQLite adds these without rebuilding the table.
    op.create_index(
        "uq_request_customer_thread",
        "support_requests",
        ["customer_channel_id", "customer_thread_ts"],
        unique=True,
    )
    op.create_index("ix_request_account", "support_requests", ["account_id"])
    op.create_table(
        "shared_prompts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("prompt_ts", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("expires_at", Instant, nullable=False),
        sa.Column("closed_at", Instant, nullable=True),
        sa.UniqueConstraint("channel_id", "message_ts", name="uq_shared_prompt_message"),
    )
    # Partial: the expiry sweep scans only open prompts, so the index stays small.
    op.create_index(
        "ix_shared_prompt_open",
        "shared_prompts",
        ["expires_at"],
        postgresql_where=sa.text("closed_at IS NULL"),
        sqlite_where=sa.text("closed_at IS NULL"),
    )
    op.create_table(
        "shared_channel_pins",
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", Instant, nullable=False),
        sa.Column("pinned_at", Instant, nullable=True),
    )
    op.create_table(
        "unmapped_channel_notices",
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("noticed_at", Instant, nullable=False),
    )


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_table("unmapped_channel_notices")
    op.drop_table("shared_channel_pins")
    op.drop_index("ix_shared_prompt_open", table_name="shared_prompts")
    op.drop_table("shared_prompts")
    op.drop_index("ix_request_account", table_name="support_requests")
    op.drop_index("uq_request_customer_thread", table_name="support_requests")
    with op.batch_alter_table("support_requests") as batch:
        batch.drop_column("customer_thread_ts")
        batch.drop_column("customer_channel_id")
        batch.drop_column("account_id")
