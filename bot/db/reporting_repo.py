"""The clock columns of the requests filed in a span, as small frozen values.

What `bot.domain.report.build_report` tallies in Python: the reference the summed report
(bot.db.report_sums, which the desk uses) is checked against, and the benchmark's old path.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest
from bot.domain.requests import Priority, RequestStatus

if TYPE_CHECKING:
    from bot.db.uow import UnitOfWork


@dataclass(frozen=True)
class ReportedRequest:
    """A request's priority, status and clock instants: what bot.domain.report reads."""

    priority: Priority
    status: RequestStatus
    created_at: DateTime
    first_response_due_at: DateTime
    first_responded_at: DateTime | None = None
    breached_at: DateTime | None = None
    resolved_at: DateTime | None = None
    escalated_to_development_at: DateTime | None = None
    resolution_paused_since: DateTime | None = None
    resolution_paused_seconds: int = 0


_COLUMNS: tuple[Any, ...] = tuple(
    getattr(SupportRequest, field.name) for field in fields(ReportedRequest)
)


def requests_filed(
    session: Session, *, start: DateTime | None = None, until: DateTime | None = None
) -> list[ReportedRequest]:
    """Requests created at or after `start` and at or before `until` (either may be open)."""
    statement = select(*_COLUMNS)
    if start is not None:
        statement = statement.where(col(SupportRequest.created_at) >= start)
    if until is not None:
        statement = statement.where(col(SupportRequest.created_at) <= until)
    statement = statement.order_by(col(SupportRequest.id))
    # UTCDateTime and EnumText load pendulum instants and enum members.
    return [ReportedRequest(**row._asdict()) for row in session.exec(statement)]


class ReportReads:
    """The report's reads, bound to one unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def filed(
        self, *, start: DateTime | None = None, until: DateTime | None = None
    ) -> list[ReportedRequest]:
        return requests_filed(self._session, start=start, until=until)


def report_reads(uow: UnitOfWork) -> ReportReads:
    """The report's reads within `uow` (until UnitOfWork carries them as `uow.reports`)."""
    return ReportReads(uow.session)
