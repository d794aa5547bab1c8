"""One page per outage: the incident's page and summary, its members, the resolution notes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-18 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)
REQUEST = "support_requests.id"


def upgrade() -> None:
    """Create the three tables; filing and the status poller fill them."""
    op.create_table(
        "outage_summaries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("paged_request_id", sa.Integer(), sa.ForeignKey(REQUEST), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("shown_version", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.UniqueConstraint("feed_id", name="uq_outage_summary_feed_id"),
    )
    op.create_index("ix_outage_summaries_state", "outage_summaries", ["state"])
    op.create_table(
        "outage_members",
        sa.Column("request_id", sa.Integer(), sa.ForeignKey(REQUEST), primary_key=True),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("paged", sa.Boolean(), nullable=False),
        sa.Column("joined_at", Instant, nullable=False),
    )
    op.create_index("ix_outage_members_feed_id", "outage_members", ["feed_id"])
    op.create_table(
        "incident_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feed_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey(REQUEST), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reply_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.UniqueConstraint("feed_id", "request_id", name="uq_incident_note_request"),
    )
    op.create_index("ix_incident_notes_state", "incident_notes", ["state"])


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_index("ix_incident_notes_state", table_name="incident_notes")
    op.drop_table("incident_notes")
    op.drop_index("ix_outage_members_feed_id", table_name="outage_members")
    op.drop_table("outage_members")
    op.drop_index("ix_outage_summaries_state", table_name="outage_summaries")
    op.drop_table("outage_summaries")
