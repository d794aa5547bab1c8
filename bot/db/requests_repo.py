"""Support requests: rows in, domain `Request`s out; find by id, key or conversation."""

from __future__ import annotations

from dataclasses import fields

from pendulum import DateTime
from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import ConversationThread, SupportRequest
from bot.domain.model import ConversationRef, Request, parse_key
from bot.domain.requests import RequestStatus
from bot.domain.sla_terms import SlaTerms

CLOSED_STATUSES = tuple(status.value for status in RequestStatus if not status.is_open)
# Filter with IN over these rather than NOT IN the closed ones: IN can use the status index.
OPEN_STATUSES = tuple(status.value for status in RequestStatus if status.is_open)
_COPIED = tuple(f.name for f in fields(Request) if f.name not in ("id", "terms"))


def to_domain(row: SupportRequest) -> Request:
    """The domain request a stored row holds."""
    values = {name: getattr(row, name) for name in _COPIED}
    return Request(id=row.id or 0, terms=SlaTerms.from_json(row.sla_terms), **values)


def _onto(row: SupportRequest, request: Request) -> None:
    for name in _COPIED:
        setattr(row, name, getattr(request, name))
    row.sla_terms = request.terms.to_json()


def add_request(session: Session, request: Request) -> Request:
    """Insert a request and flush so it has its id (and key)."""
    values = {name: getattr(request, name) for name in _COPIED}
    row = SupportRequest(**values, sla_terms=request.terms.to_json())
    session.add(row)
    session.flush()
    return request.but(id=row.id or 0)


def save_request(session: Session, request: Request) -> None:
    """Write a changed request back to its row (loaded, and locked, in this session)."""
    row = session.get(SupportRequest, request.id)
    if row is None:
        raise LookupError(f"request {request.key} is not stored")
    _onto(row, request)
    session.add(row)
    session.flush()


def get_request(session: Session, request_id: int) -> Request | None:
    """The request with this id, if any."""
    row = session.get(SupportRequest, request_id)
    return None if row is None else to_domain(row)


def get_by_key(session: Session, key: str) -> Request | None:
    """The request a public key such as `KS-1042` names; None if unknown or malformed."""
    request_id = parse_key(key)
    return None if request_id is None else get_request(session, request_id)


def get_by_conversation(session: Session, channel_id: str, thread_ts: str) -> Request | None:
    """The request whose conversation is, or was before a move, this thread."""
    request_id = session.exec(
        select(ConversationThread.request_id).where(
            col(ConversationThread.channel_id) == channel_id,
            col(ConversationThread.thread_ts) == thread_ts,
        )
    ).first()
    if request_id is not None:
        return get_request(session, request_id)
    row = session.exec(
        select(SupportRequest).where(
            col(SupportRequest.slack_channel_id) == channel_id,
            col(SupportRequest.thread_ts) == thread_ts,
        )
    ).first()
    return None if row is None else to_domain(row)


def get_by_customer_thread(session: Session, channel_id: str, thread_ts: str) -> Request | None:
    """The request filed from this customer thread in a shared channel, if any."""
    row = session.exec(
        select(SupportRequest).where(
            col(SupportRequest.customer_channel_id) == channel_id,
            col(SupportRequest.customer_thread_ts) == thread_ts,
        )
    ).first()
    return None if row is None else to_domain(row)


def record_thread(session: Session, *, request_id: int, ref: ConversationRef, at: DateTime) -> None:
    """Remember a thread the request's conversation lives in (once per thread)."""
    session.exec(
        insert_ignoring_duplicates(
            session, ConversationThread, unique=["channel_id", "thread_ts"]
        ).values(request_id=request_id, channel_id=ref.channel_id, thread_ts=ref.ts, opened_at=at)
    )


def threads_of(session: Session, request_id: int) -> list[ConversationRef]:
    """Every thread the request's conversation has lived in, oldest first."""
    rows = session.exec(
        select(ConversationThread)
        .where(col(ConversationThread.request_id) == request_id)
        .order_by(col(ConversationThread.id))
    ).all()
    return [ConversationRef(row.channel_id, row.thread_ts) for row in rows]


def lock_request(session: Session, request_id: int) -> Request | None:
    """Re-read a request under a row lock (SELECT ... FOR UPDATE; SQLite has no row locks)."""
    statement = (
        select(SupportRequest)
        .where(col(SupportRequest.id) == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = session.exec(statement).first()
    return None if row is None else to_domain(row)


def requests_of_requester(
    session: Session,
    *,
    team_id: str,
    requester_id: str,
    open_only: bool = False,
    limit: int = 20,
) -> list[Request]:
    """A requester's requests, newest first."""
    statement = select(SupportRequest).where(
        col(SupportRequest.team_id) == team_id,
        col(SupportRequest.requester_id) == requester_id,
    )
    if open_only:
        statement = statement.where(col(SupportRequest.status).in_(OPEN_STATUSES))
    statement = statement.order_by(
        col(SupportRequest.created_at).desc(), col(SupportRequest.id).desc()
    ).limit(limit)
    return [to_domain(row) for row in session.exec(statement).all()]


def open_of_account(session: Session, *, account_id: int, limit: int) -> list[Request]:
    """A customer account's open requests, newest first (`ix_request_account`)."""
    statement = (
        select(SupportRequest)
        .where(
            col(SupportRequest.account_id) == account_id,
            col(SupportRequest.status).in_(OPEN_STATUSES),
        )
        .order_by(col(SupportRequest.created_at).desc(), col(SupportRequest.id).desc())
        .limit(limit)
    )
    return [to_domain(row) for row in session.exec(statement).all()]


def open_queue(session: Session, *, team_id: str | None, limit: int) -> list[Request]:
    """Open requests in the order engineers work them, at most `limit`.

    Unanswered ones first, breached on top, by first-response due; then answered ones by
    resolution due (those without one last); ties by id. NULLS LAST is spelled out as a
    sort key because SQLite and PostgreSQL put NULLs at opposite ends.
    """
    unanswered = col(SupportRequest.first_responded_at).is_(None)
    breached = and_(unanswered, col(SupportRequest.breached_at).is_not(None))
    due = case(
        (unanswered, col(SupportRequest.first_response_due_at)),
        else_=col(SupportRequest.resolution_due_at),
    )
    statement = select(SupportRequest).where(col(SupportRequest.status).in_(OPEN_STATUSES))
    if team_id is not None:
        statement = statement.where(col(SupportRequest.team_id) == team_id)
    statement = statement.order_by(
        case((unanswered, 0), else_=1),
        case((breached, 0), else_=1),
        case((due.is_(None), 1), else_=0),
        due,
        col(SupportRequest.id),
    ).limit(limit)
    return [to_domain(row) for row in session.exec(statement).all()]


def project_assignee(session: Session, *, team_id: str, project: str) -> str | None:
    """Who took the project's earliest assigned request (project names match in any case)."""
    if not project.strip():
        return None
    statement = (
        select(SupportRequest.assignee_id)
        .where(
            col(SupportRequest.team_id) == team_id,
            func.lower(SupportRequest.project) == project.strip().lower(),
            col(SupportRequest.assignee_id).is_not(None),
        )
        .order_by(col(SupportRequest.created_at), col(SupportRequest.id))
        .limit(1)
    )
    return session.exec(statement).first()
