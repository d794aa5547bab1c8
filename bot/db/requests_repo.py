"""Support requests: add, find by id, key or conversation, list queues."""

from __future__ import annotations

import re

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from bot.db.models import KEY_OFFSET, KEY_PREFIX, SupportRequest
from bot.domain.requests import RequestStatus

CLOSED_STATUSES = tuple(status.value for status in RequestStatus if not status.is_open)
_KEY = re.compile(rf"\s*{re.escape(KEY_PREFIX)}(\d{{1,15}})\s*", re.IGNORECASE)


def parse_key(key: str) -> int | None:
    """The request id behind a public key such as `KS-1042` (any case); None if malformed."""
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    request_id = int(match.group(1)) - KEY_OFFSET
    return request_id if request_id > 0 else None


def add_request(session: Session, request: SupportRequest) -> SupportRequest:
    """Insert a request and flush so it has its id (and key)."""
    session.add(request)
    session.flush()
    return request


def get_request(session: Session, request_id: int) -> SupportRequest | None:
    """The request with this id, if any."""
    return session.get(SupportRequest, request_id)


def get_by_key(session: Session, key: str) -> SupportRequest | None:
    """The request a public key such as `KS-1042` names; None if unknown or malformed."""
    request_id = parse_key(key)
    return None if request_id is None else session.get(SupportRequest, request_id)


def get_by_conversation(session: Session, channel_id: str, thread_ts: str) -> SupportRequest | None:
    """The request whose Slack conversation is the thread `thread_ts` in `channel_id`."""
    statement = select(SupportRequest).where(
        col(SupportRequest.slack_channel_id) == channel_id,
        col(SupportRequest.thread_ts) == thread_ts,
    )
    return session.exec(statement).first()


def lock_request(session: Session, request_id: int) -> SupportRequest | None:
    """Re-read a request under a row lock (SELECT ... FOR UPDATE; SQLite has no row locks)."""
    statement = (
        select(SupportRequest)
        .where(col(SupportRequest.id) == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def requests_of_requester(
    session: Session,
    *,
    team_id: str,
    requester_id: str,
    open_only: bool = False,
    limit: int = 20,
) -> list[SupportRequest]:
    """A requester's requests, newest first."""
    statement = select(SupportRequest).where(
        col(SupportRequest.team_id) == team_id,
        col(SupportRequest.requester_id) == requester_id,
    )
    if open_only:
        statement = statement.where(col(SupportRequest.status).not_in(CLOSED_STATUSES))
    statement = statement.order_by(
        col(SupportRequest.created_at).desc(), col(SupportRequest.id).desc()
    ).limit(limit)
    return list(session.exec(statement).all())


def open_queue(session: Session, *, team_id: str | None, limit: int) -> list[SupportRequest]:
    """Open requests, breached ones first, then by first-response due instant."""
    breached = or_(
        col(SupportRequest.breached_at).is_not(None),
        col(SupportRequest.resolution_breached_at).is_not(None),
    )
    statement = select(SupportRequest).where(col(SupportRequest.status).not_in(CLOSED_STATUSES))
    if team_id is not None:
        statement = statement.where(col(SupportRequest.team_id) == team_id)
    statement = statement.order_by(
        case((breached, 0), else_=1),
        col(SupportRequest.first_response_due_at),
        col(SupportRequest.id),
    ).limit(limit)
    return list(session.exec(statement).all())


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
