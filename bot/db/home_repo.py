"""What App Home tabs read: a person's own requests, and how long and how late the queue is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, literal_column, or_, text, union_all
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest
from bot.db.report_sql import ANSWERED, OPEN_REQUESTS, UNANSWERED_BREACHED, UNANSWERED_IN_TIME
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
    """How many requests are open, and how many of those are breached, in one query.

    The open requests' index (`ix_request_open`) carries both breach columns: the count is
    an index-only scan of the open requests, however many resolved ones there are.
    """
    breached = or_(
        col(SupportRequest.breached_at).is_not(None),
        col(SupportRequest.resolution_breached_at).is_not(None),
    )
    statement = select(
        func.count(), func.coalesce(func.sum(case((breached, 1), else_=0)), 0)
    ).where(text(OPEN_REQUESTS))
    total, breached_total = session.exec(statement).one()
    return QueueCounts(open=int(total), breached=int(breached_total))


_ID = col(SupportRequest.id)
_FIRST_DUE = col(SupportRequest.first_response_due_at)
_RESOLUTION_DUE = col(SupportRequest.resolution_due_at)
# The queue's four parts (bot.db.report_sql), each with its order before the id.
_PARTS: tuple[tuple[Any, tuple[Any, ...]], ...] = (
    (text(UNANSWERED_BREACHED), (_FIRST_DUE,)),
    (text(UNANSWERED_IN_TIME), (_FIRST_DUE,)),
    (and_(text(ANSWERED), _RESOLUTION_DUE.is_not(None)), (_RESOLUTION_DUE,)),
    (and_(text(ANSWERED), _RESOLUTION_DUE.is_(None)), ()),
)


def queue_head(session: Session, *, limit: int) -> list[Request]:
    """The first `limit` open requests in the order engineers work them.

    The order of `requests_repo.open_queue`, read as its four parts: each is the head of one
    partial index in the index's order, so the cost follows `limit`, not the queue's length.
    """
    bound: Any = literal_column(str(int(limit)))  # a constant, as the planner wants it
    heads = [
        select(_ID).where(text(OPEN_REQUESTS), where).order_by(*order, _ID).limit(bound).subquery()
        for where, order in _PARTS
    ]
    ids = union_all(*(select(head.c.id) for head in heads))
    unanswered = col(SupportRequest.first_responded_at).is_(None)
    part = case(
        (and_(unanswered, col(SupportRequest.breached_at).is_not(None)), 0),
        (unanswered, 1),
        (_RESOLUTION_DUE.is_not(None), 2),
        else_=3,
    )
    due = case((unanswered, _FIRST_DUE), else_=_RESOLUTION_DUE)
    statement = select(SupportRequest).where(_ID.in_(ids)).order_by(part, due, _ID).limit(bound)
    return [to_domain(row) for row in session.exec(statement).all()]


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

    def queue_head(self, *, limit: int) -> list[Request]:
        return queue_head(self._session, limit=limit)

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
