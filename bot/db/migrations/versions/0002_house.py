"""Policy terms on each request, owed conversations, every thread a conversation lived in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the columns and the thread table, and index idempotency keys by age."""
    with op.batch_alter_table("support_requests") as batch:
        batch.add_column(sa.Column("sla_terms", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column(
                "conversation_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.execute("UPDATE support_requests SET conversation_pending = (thread_ts IS NULL)")
    op.create_table(
        "conversation_threads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("support_requests.id"), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=False),
        sa.Column("opened_at", Instant, nullable=False),
        sa.UniqueConstraint("channel_id", "thread_ts", name="uq_conversation_thread"),
    )
    op.create_index("ix_conversation_threads_request_id", "conversation_threads", ["request_id"])
    op.execute(
        "INSERT INTO conversation_threads (request_id, channel_id, thread_ts, opened_at) "
        "SELECT id, slack_channel_id, thread_ts, created_at FROM support_requests "
        "WHERE thread_ts IS NOT NULL AND slack_channel_id IS NOT NULL"
    )
    op.create_index("ix_idempotency_created", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_index("ix_idempotency_created", table_name="idempotency_keys")
    op.drop_index("ix_conversation_threads_request_id", table_name="conversation_threads")
    op.drop_table("conversation_threads")
    with op.batch_alter_table("support_requests") as batch:
        batch.drop_column("conversation_pending")
        batch.drop_column("sla_terms")
