"""Idempotency keys: a Slack delivery is handled once, even across replicas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import IdempotencyKey


def claim_key(
    session: Session, *, key: str, scope: str, now: datetime, request_id: int | None = None
) -> bool:
    """True the first time a key is seen; False for a duplicate (even a concurrent one).

    A concurrent claim of the same key waits for the first transaction: it gets False if
    that one commits, True if it rolls back.
    """
    statement = (
        insert_ignoring_duplicates(session, IdempotencyKey, unique=["key"])
        .values(key=key, scope=scope, created_at=now, request_id=request_id)
        # SQLAlchemy keeps an INSERT's rowcount only when asked to (psycopg loses it).
        .execution_options(preserve_rowcount=True)
    )
    return session.exec(statement).rowcount == 1


def attach_request(session: Session, *, key: str, request_id: int) -> None:
    """Remember which request a handled key produced."""
    session.exec(
        update(IdempotencyKey).where(col(IdempotencyKey.key) == key).values(request_id=request_id)
    )


def key_request_id(session: Session, key: str) -> int | None:
    """The request a handled key produced, if any."""
    statement = select(IdempotencyKey.request_id).where(col(IdempotencyKey.key) == key)
    return session.exec(statement).first()


def forget_keys_before(session: Session, *, before: datetime, limit: int = 1000) -> int:
    """Delete up to `limit` keys older than `before` (oldest first); returns how many.

    Bounded so the scheduler's clean-up never holds a long transaction.
    """
    oldest = (
        select(IdempotencyKey.key)
        .where(col(IdempotencyKey.created_at) < before)
        .order_by(col(IdempotencyKey.created_at))
        .limit(limit)
    )
    result = session.exec(
        delete(IdempotencyKey).where(col(IdempotencyKey.key).in_(oldest.scalar_subquery()))
    )
    return result.rowcount
