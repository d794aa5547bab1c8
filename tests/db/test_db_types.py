"""Instants go in with any offset and come back as the same instant, UTC-aware."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.db.repositories import add_request, get_request

# One second before New York springs forward (2026-03-08 02:00 EST -> 03:00 EDT).
BEFORE_DST = datetime.fromisoformat("2026-03-08T01:59:59-05:00")
BEFORE_DST_UTC = datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)


def test_instant_round_trip_is_utc_aware(
    database: Database, make_request: Callable[..., SupportRequest]
) -> None:
    with database.session() as session:
        request_id = add_request(session, make_request(first_response_due_at=BEFORE_DST)).id
    assert request_id is not None

    with database.session() as session:
        loaded = get_request(session, request_id)
        assert loaded is not None
        due = loaded.first_response_due_at

    assert due == BEFORE_DST == BEFORE_DST_UTC
    assert due.utcoffset() is not None
    assert due.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert due.isoformat() == "2026-03-08T06:59:59+00:00"


def test_instant_is_stored_as_utc(
    database: Database, make_request: Callable[..., SupportRequest]
) -> None:
    with database.session() as session:
        add_request(session, make_request(first_response_due_at=BEFORE_DST))
        raw = (
            session.connection()
            .execute(text("SELECT first_response_due_at FROM support_requests"))
            .scalar_one()
        )
    if database.dialect == "sqlite":
        assert str(raw).startswith("2026-03-08 06:59:59")
    else:
        assert raw == BEFORE_DST_UTC


def test_naive_instant_is_refused(
    database: Database, make_request: Callable[..., SupportRequest]
) -> None:
    naive = datetime(2026, 3, 8, 1, 59, 59)
    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        add_request(session, make_request(first_response_due_at=naive))

    with database.session() as session:
        count = session.connection().execute(text("SELECT count(*) FROM support_requests"))
        assert count.scalar_one() == 0
