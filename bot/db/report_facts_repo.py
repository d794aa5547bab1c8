"""The SLA report's stored facts: find the requests whose facts are stale, store new ones.

A request's facts (bot.domain.report_facts) are stale when they were never worked out, or
were worked out from another first response, resolution or pause (the predicate in
bot.db.report_sql, answered by the partial index `ix_request_report_stale`), or on another
calendar (`report_calendar`, answered by its index as two ranges around the current one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlalchemy import bindparam, or_, text, update
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest
from bot.db.report_sql import stale_facts
from bot.domain.report_facts import StoredFacts
from bot.domain.requests import RequestStatus

if TYPE_CHECKING:
    from bot.db.uow import UnitOfWork


@dataclass(frozen=True)
class FactsInputs:
    """A request's id and the columns its facts are worked out from (a ClockInputs)."""

    id: int
    status: RequestStatus
    created_at: DateTime
    first_responded_at: DateTime | None
    resolved_at: DateTime | None
    resolution_paused_since: DateTime | None
    resolution_paused_seconds: int


_INPUTS: tuple[Any, ...] = tuple(getattr(SupportRequest, f.name) for f in fields(FactsInputs))
_TABLE: Any = SupportRequest.__table__  # type: ignore[attr-defined]  # SQLModel sets it
# The basis is copied column to column inside the UPDATE: the row is locked, and a copy made
# by the database compares equal to its source whatever form the source was written in.
_STORE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("request_id"))
    .values(
        report_calendar=bindparam("fingerprint"),
        report_basis_responded_at=_TABLE.c.first_responded_at,
        report_basis_resolved_at=_TABLE.c.resolved_at,
        report_basis_paused_since=_TABLE.c.resolution_paused_since,
        report_basis_paused_seconds=_TABLE.c.resolution_paused_seconds,
        report_response_business_seconds=bindparam("business"),
        report_response_wall_seconds=bindparam("wall"),
        report_resolution_seconds=bindparam("resolution"),
        report_past_target_at=bindparam("past_target_at"),
    )
)


def stale_requests(session: Session, *, fingerprint: str, limit: int) -> list[FactsInputs]:
    """Up to `limit` requests with stale facts, locked; rows another transaction holds are
    skipped (PostgreSQL), so two replicas never wait on each other here."""
    dialect = session.get_bind().dialect.name
    found = {row.id: row for row in _locked(text(stale_facts(dialect)), limit, session)}
    if len(found) < limit:
        calendar = col(SupportRequest.report_calendar)
        other = or_(calendar < fingerprint, calendar > fingerprint)
        for row in _locked(other, limit - len(found), session):
            found.setdefault(row.id, row)
    return list(found.values())


def _locked(where: Any, limit: int, session: Session) -> list[FactsInputs]:
    statement = (
        select(*_INPUTS)
        .where(where)
        .order_by(col(SupportRequest.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [FactsInputs(**row._asdict()) for row in session.exec(statement)]


def store_facts(
    session: Session, facts: Sequence[tuple[int, StoredFacts]], *, fingerprint: str
) -> None:
    """Store each request's facts, worked out on the calendar `fingerprint` names."""
    if not facts:
        return
    rows = [
        {
            "request_id": request_id,
            "fingerprint": fingerprint,
            "business": stored.response_business_seconds,
            "wall": stored.response_wall_seconds,
            "resolution": stored.resolution_seconds,
            "past_target_at": stored.past_target_at,
        }
        for request_id, stored in facts
    ]
    session.connection().execute(_STORE, rows)


class ReportFacts:
    """The stored facts' upkeep, bound to one unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def stale(self, *, fingerprint: str, limit: int) -> list[FactsInputs]:
        return stale_requests(self._session, fingerprint=fingerprint, limit=limit)

    def store(self, facts: Sequence[tuple[int, StoredFacts]], *, fingerprint: str) -> None:
        store_facts(self._session, facts, fingerprint=fingerprint)


def report_facts(uow: UnitOfWork) -> ReportFacts:
    """The stored facts' upkeep within `uow`."""
    return ReportFacts(uow.session)
