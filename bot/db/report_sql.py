"""The indexes of `support_requests` the Home and the report read, and the SQL they share.

PostgreSQL uses a partial index only when the query repeats its predicate with constants
rather than parameters (a prepared statement's generic plan knows no parameter values), so
each predicate is written once here, as SQL text, for the model (bot.db.models) and for the
queries (bot.db.home_repo, bot.db.report_facts_repo). Migration 0009 keeps a frozen copy.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from bot.domain.requests import RequestStatus

_OPEN = ", ".join(f"'{status.value}'" for status in RequestStatus if status.is_open)
OPEN_REQUESTS = f"status IN ({_OPEN})"

# The engineer queue (bot.db.requests_repo.open_queue's order) in its four parts: unanswered
# and breached, unanswered, both by first-response due; then answered with a resolution due,
# by it, and answered without one. Each part reads the head of a partial index in its order
# (the two answered parts share one).
UNANSWERED_BREACHED = "first_responded_at IS NULL AND breached_at IS NOT NULL"
UNANSWERED_IN_TIME = "first_responded_at IS NULL AND breached_at IS NULL"
ANSWERED = "first_responded_at IS NOT NULL"
FIRST_DUE = ("first_response_due_at", "id")

# The report facts that no longer match their request (bot.domain.report_facts): never
# worked out, or worked out from another first response, resolution or pause.
_BASIS = (
    ("report_basis_responded_at", "first_responded_at"),
    ("report_basis_resolved_at", "resolved_at"),
    ("report_basis_paused_since", "resolution_paused_since"),
    ("report_basis_paused_seconds", "resolution_paused_seconds"),
)


def stale_facts(dialect: str) -> str:
    """The stale-facts predicate; SQLite spells IS DISTINCT FROM as IS NOT."""
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    checks = [f"{kept} {differs} {column}" for kept, column in _BASIS]
    return " OR ".join(["report_calendar IS NULL", *checks])


# What the report reads of each request besides its creation (bot.db.report_sums): the
# window index carries them all, so a report is an index-only scan (PostgreSQL INCLUDE).
REPORT_COLUMNS = (
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
)
RESPONSE_TIMES = ("report_response_business_seconds", "report_response_wall_seconds")


def request_scale_indexes() -> tuple[Index, ...]:
    """The indexes migration 0009 adds to `support_requests`, as the model declares them."""
    return (
        Index("ix_request_report", "created_at", postgresql_include=list(REPORT_COLUMNS)),
        *(_response_index(column) for column in RESPONSE_TIMES),
        Index("ix_request_requester_created", "requester_id", "created_at"),
        _open_index("ix_request_open", ("priority", "breached_at", "resolution_breached_at")),
        _open_index("ix_request_queue_breached", FIRST_DUE, UNANSWERED_BREACHED),
        _open_index("ix_request_queue_unanswered", FIRST_DUE, UNANSWERED_IN_TIME),
        _open_index("ix_request_queue_answered", ("resolution_due_at", "id"), ANSWERED),
        Index("ix_request_report_calendar", "report_calendar"),
        Index(
            "ix_request_report_stale",
            "id",
            postgresql_where=text(stale_facts("postgresql")),
            sqlite_where=text(stale_facts("sqlite")),
        ),
    )


def _response_index(column: str) -> Index:
    """Answered requests in order of a response time: the full report's percentiles read it
    in order, so PostgreSQL's sorts find their input sorted already."""
    answered = text(f"{column} IS NOT NULL")
    return Index(
        f"ix_request_{column.removeprefix('report_')}",
        column,
        postgresql_include=["priority", "created_at", "account_id"],
        postgresql_where=answered,
        sqlite_where=answered,
    )


def _open_index(name: str, columns: tuple[str, ...], where: str | None = None) -> Index:
    """An index of open requests only (and of those `where` holds for)."""
    predicate = text(OPEN_REQUESTS if where is None else f"{OPEN_REQUESTS} AND {where}")
    return Index(name, *columns, postgresql_where=predicate, sqlite_where=predicate)
