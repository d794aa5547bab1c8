"""Customer accounts: the organisation, its plan tier, shared channels, Slack teams and admins.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-21 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)


def _owner() -> sa.Column[int]:
    return sa.Column(
        "account_id", sa.Integer(), sa.ForeignKey("customer_accounts.id"), nullable=False
    )


def upgrade() -> None:
    """Create the four tables; `python -m bot accounts` fills them."""
    op.create_table(
        "customer_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("project", sa.String(length=120), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.UniqueConstraint("name_key", name="uq_account_name"),
    )
    op.create_table(
        "account_channels",
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        _owner(),
    )
    op.create_index("ix_account_channels_account_id", "account_channels", ["account_id"])
    op.create_table(
        "account_teams",
        sa.Column("team_id", sa.String(length=32), primary_key=True),
        _owner(),
    )
    op.create_index("ix_account_teams_account_id", "account_teams", ["account_id"])
    op.create_table(
        "account_admins",
        _owner(),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "user_id"),
    )


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_table("account_admins")
    op.drop_index("ix_account_teams_account_id", table_name="account_teams")
    op.drop_table("account_teams")
    op.drop_index("ix_account_channels_account_id", table_name="account_channels")
    op.drop_table("account_channels")
    op.drop_table("customer_accounts")
