"""The Home and the SLA report at scale: stored report facts and the indexes they read.

Every request gets columns for its SLA report facts (bot.domain.report_facts), empty until
worked out: the scheduler, the Home and `python -m bot report` fill them. New indexes: by
creation carrying what the report reads (PostgreSQL: an index-only report), the response
times in order, by requester (the Home's own requests, every team), the open requests'
counts and the engineer queue in its order, and the requests whose facts are stale.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-23 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)
TABLE = "support_requests"
COLUMNS = (
    ("report_calendar", sa.String(length=16)),
    ("report_basis_responded_at", Instant),
    ("report_basis_resolved_at", Instant),
    ("report_basis_paused_since", Instant),
    ("report_basis_paused_seconds", sa.Integer()),
    ("report_response_business_seconds", sa.Float()),
    ("report_response_wall_seconds", sa.Float()),
    ("report_resolution_seconds", sa.Float()),
    ("report_past_target_at", Instant),
)

# The same SQL as bot.db.report_sql, frozen here as this revision created it.
OPEN_REQUESTS = (
    "status IN ('new', 'in_progress', 'waiting_on_customer', 'escalated_to_development')"
)
QUEUE = (
    (
        "ix_request_queue_breached",
        ["first_response_due_at", "id"],
        "first_responded_at IS NULL AND breached_at IS NOT NULL",
    ),
    (
        "ix_request_queue_unanswered",
        ["first_response_due_at", "id"],
        "first_responded_at IS NULL AND breached_at IS NULL",
    ),
    ("ix_request_queue_answered", ["resolution_due_at", "id"], "first_responded_at IS NOT NULL"),
    ("ix_request_open", ["priority", "breached_at", "resolution_breached_at"], None),
)
REPORT_COLUMNS = [
    "priority",
    "account_id",
    "status",
    "first_response_due_at",
    "first_responded_at",
    "resolved_at",
    "breached_at",
    "escalated_to_development_at",
    "report_past_target_at",
    "report_resolution_seconds",
    "report_response_business_seconds",
    "report_response_wall_seconds",
]
BASIS = (
    ("report_basis_responded_at", "first_responded_at"),
    ("report_basis_resolved_at", "resolved_at"),
    ("report_basis_paused_since", "resolution_paused_since"),
    ("report_basis_paused_seconds", "resolution_paused_seconds"),
)


def stale_facts(dialect: str) -> str:
    """Facts never worked out, or from other columns (SQLite: IS NOT for IS DISTINCT FROM)."""
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    checks = [f"{kept} {differs} {column}" for kept, column in BASIS]
    return " OR ".join(["report_calendar IS NULL", *checks])


def upgrade() -> None:
    """Add the report columns, then the indexes."""
    with op.batch_alter_table(TABLE) as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    dialect = op.get_bind().dialect.name
    op.create_index("ix_request_report", TABLE, ["created_at"], postgresql_include=REPORT_COLUMNS)
    for column in ("report_response_business_seconds", "report_response_wall_seconds"):
        answered: dict[str, Any] = {f"{dialect}_where": sa.text(f"{column} IS NOT NULL")}
        name = f"ix_request_{column.removeprefix('report_')}"
        include = ["priority", "created_at", "account_id"]
        op.create_index(name, TABLE, [column], postgresql_include=include, **answered)
    op.create_index("ix_request_requester_created", TABLE, ["requester_id", "created_at"])
    for name, columns, where in QUEUE:
        predicate = OPEN_REQUESTS if where is None else f"{OPEN_REQUESTS} AND {where}"
        where_open: dict[str, Any] = {f"{dialect}_where": sa.text(predicate)}
        op.create_index(name, TABLE, columns, **where_open)
    op.create_index("ix_request_report_calendar", TABLE, ["report_calendar"])
    stale: dict[str, Any] = {f"{dialect}_where": sa.text(stale_facts(dialect))}
    op.create_index("ix_request_report_stale", TABLE, ["id"], **stale)


def downgrade() -> None:
    """Drop what upgrade added."""
    for name in (
        "ix_request_report_stale",
        "ix_request_report_calendar",
        "ix_request_open",
        "ix_request_queue_answered",
        "ix_request_queue_unanswered",
        "ix_request_queue_breached",
        "ix_request_requester_created",
        "ix_request_response_wall_seconds",
        "ix_request_response_business_seconds",
        "ix_request_report",
    ):
        op.drop_index(name, table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
