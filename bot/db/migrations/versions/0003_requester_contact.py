"""The requester's contact outside Slack: the sender address of an emailed request.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable column: requests filed before it have no contact."""
    with op.batch_alter_table("support_requests") as batch:
        batch.add_column(sa.Column("requester_contact", sa.String(length=254), nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("support_requests") as batch:
        batch.drop_column("requester_contact")
