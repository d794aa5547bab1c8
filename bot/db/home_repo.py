"""What App Home tabs read: a person's own requests, and how long and how late the queue is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest
from bot.db.requests_repo import OPEN_STATUSES, to_domain
from bot.domain.model import Request
from bot.domain.requests import RequestStatus

if TYPE_CHECKING:
    from bot.db.uow import UnitOfWork


@dataclass(frozen=True)
class QueueCounts:
    """Open requests, and how many of them breached a first-response or resolution target."""

    open: int
    breached: int


def _is_open() -> Any:
    # IN over the open statuses, not NOT IN the closed one: it can use the status index.
    return col(SupportRequest.status).in_(OPEN_STATUSES)


def queue_counts(session: Session) -> QueueCounts:
    """How many requests are open, and how many of those are breached, in one query."""
    breached = or_(
        col(SupportRequest.breached_at).is_not(None),
        col(SupportRequest.resolution_breached_at).is_not(None),
    )
    statement = select(
        func.count(), func.coalesce(func.sum(case((breached, 1), else_=0)), 0)
    ).where(_is_open())
    total, breached_total = session.exec(statement).one()
    return QueueCounts(open=int(total), breached=int(breached_total))


def open_of_requester(session: Session, requester_id: str, *, limit: int) -> list[Request]:
    """A requester's open requests in every team, newest first."""
    statement = (
        select(SupportRequest)
        .where(col(SupportRequest.requester_id) == requester_id, _is_open())
        .order_by(col(SupportRequest.created_at).desc(), col(SupportRequest.id).desc())
        .limit(limit)
    )
    return [to_domain(row) for row in session.exec(statement).all()]


def count_open_of_requester(session: Session, requester_id: str) -> int:
    """How many requests a requester has open, in every team."""
    statement = select(func.count()).where(
        col(SupportRequest.requester_id) == requester_id, _is_open()
    )
    return int(session.exec(statement).one())


def resolved_of_requester(
    session: Session, requester_id: str, *, limit: int, team_id: str | None = None
) -> list[Request]:
    """A requester's resolved requests (in one team, or every team), last resolved first."""
    statement = select(SupportRequest).where(
        col(SupportRequest.requester_id) == requester_id,
        col(SupportRequest.status) == RequestStatus.RESOLVED,
    )
    if team_id is not None:
        statement = statement.where(col(SupportRequest.team_id) == team_id)
    statement = statement.order_by(
        col(SupportRequest.resolved_at).desc().nulls_last(), col(SupportRequest.id).desc()
    ).limit(limit)
    return [to_domain(row) for row in session.exec(statement).all()]


class HomeReads:
    """The App Home reads, bound to one unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def queue_counts(self) -> QueueCounts:
        return queue_counts(self._session)

    def open_of(self, requester_id: str, *, limit: int) -> list[Request]:
        return open_of_requester(self._session, requester_id, limit=limit)

    def count_open_of(self, requester_id: str) -> int:
        return count_open_of_requester(self._session, requester_id)

    def resolved_of(
        self, requester_id: str, *, limit: int, team_id: str | None = None
    ) -> list[Request]:
        return resolved_of_requester(self._session, requester_id, limit=limit, team_id=team_id)


def home_reads(uow: UnitOfWork) -> HomeReads:
    """The App Home reads within `uow` (until UnitOfWork carries them as `uow.homes`)."""
    return HomeReads(uow.session)
