"""The request event log: append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.db.models import RequestEvent


def append_event(
    session: Session,
    *,
    request_id: int | None,
    at: datetime,
    kind: str,
    actor_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    """Record what happened to a request, and who did it."""
    event = RequestEvent(
        request_id=request_id, at=at, kind=str(kind), actor_id=actor_id, data=dict(data or {})
    )
    session.add(event)
    session.flush()
    return event


def events_of(session: Session, request_id: int) -> list[RequestEvent]:
    """A request's events in the order they happened."""
    statement = (
        select(RequestEvent)
        .where(col(RequestEvent.request_id) == request_id)
        .order_by(col(RequestEvent.at), col(RequestEvent.id))
    )
    return list(session.exec(statement).all())
