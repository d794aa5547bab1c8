"""Vendor status awareness: the incidents and updates of the status feed, the poller's lease.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-14 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the three tables; the desk fills them from the feed."""
    op.create_table(
        "status_incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("impact", sa.String(length=32), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("resolved_at", Instant, nullable=True),
        sa.Column("shortlink", sa.Text(), nullable=True),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("announcement", sa.String(length=16), nullable=False),
        sa.Column("needs_refresh", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.UniqueConstraint("feed_id", name="uq_status_incident_feed_id"),
    )
    op.create_index("ix_status_incidents_announcement", "status_incidents", ["announcement"])
    op.create_table(
        "status_incident_updates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "incident_id", sa.Integer(), sa.ForeignKey("status_incidents.id"), nullable=False
        ),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("reply", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reply_ts", sa.String(length=32), nullable=True),
        sa.UniqueConstraint("incident_id", "feed_id", name="uq_status_update_feed_id"),
    )
    op.create_index(
        "ix_status_incident_updates_incident_id", "status_incident_updates", ["incident_id"]
    )
    op.create_index("ix_status_incident_updates_reply", "status_incident_updates", ["reply"])
    op.create_table(
        "status_poller",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("holder", sa.String(length=96), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_table("status_poller")
    op.drop_index("ix_status_incident_updates_reply", table_name="status_incident_updates")
    op.drop_index("ix_status_incident_updates_incident_id", table_name="status_incident_updates")
    op.drop_table("status_incident_updates")
    op.drop_index("ix_status_incidents_announcement", table_name="status_incidents")
    op.drop_table("status_incidents")
