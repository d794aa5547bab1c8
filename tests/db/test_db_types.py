"""Column types: instants go in with any offset and come back as the same instant,
UTC-aware; enums are stored as their plain value and come back as the enum member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError
from sqlmodel import select

from bot.db.engine import Database
from bot.db.models import SupportRequest, Timer
from bot.db.requests_repo import add_request, get_request
from bot.db.timers_repo import schedule_timer
from bot.db.types import EnumText
from bot.domain.model import Request
from bot.domain.requests import Priority, RequestStatus
from bot.domain.timer_kinds import TimerKind

# One second before New York springs forward (2026-03-08 02:00 EST -> 03:00 EDT).
BEFORE_DST = datetime.fromisoformat("2026-03-08T01:59:59-05:00")
BEFORE_DST_UTC = datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)
DIALECT = sqlite.dialect()


def test_instant_round_trip_is_utc_aware(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with database.session() as session:
        request_id = add_request(session, make_request(first_response_due_at=BEFORE_DST)).id

    with database.session() as session:
        loaded = get_request(session, request_id)
        assert loaded is not None
        due = loaded.first_response_due_at

    assert due == BEFORE_DST == BEFORE_DST_UTC
    assert due.utcoffset() is not None
    assert due.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert due.isoformat() == "2026-03-08T06:59:59+00:00"


def test_instant_is_stored_as_utc(database: Database, make_request: Callable[..., Request]) -> None:
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


def test_naive_instant_is_refused(database: Database, make_request: Callable[..., Request]) -> None:
    naive = datetime(2026, 3, 8, 1, 59, 59)
    # Built past the factory, which would read a plain datetime as UTC.
    request = make_request().but(first_response_due_at=naive)
    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        add_request(session, request)

    with database.session() as session:
        count = session.connection().execute(text("SELECT count(*) FROM support_requests"))
        assert count.scalar_one() == 0


def _count(database: Database, table: str) -> int:
    with database.session() as session:
        return int(session.connection().execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_enum_is_stored_as_its_value_and_loads_back_as_the_member(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with database.session() as session:
        request_id = add_request(
            session, make_request(priority=Priority.CRITICAL, status="escalated_to_development")
        ).id
        schedule_timer(
            session,
            request_id=request_id,
            kind=TimerKind.CRITICAL_UPDATE,
            fire_at=BEFORE_DST,
            request_version=1,
            now=BEFORE_DST,
        )
        raw = (
            session.connection()
            .execute(text("SELECT priority, status FROM support_requests"))
            .one()
        )
        raw_kind = session.connection().execute(text("SELECT kind FROM timers")).scalar_one()
    assert tuple(raw) == ("critical", "escalated_to_development")
    assert raw_kind == "critical_update"

    with database.session() as session:  # a fresh session: loaded from the database
        row = session.get(SupportRequest, request_id)
        timer = session.exec(select(Timer)).one()
        loaded = get_request(session, request_id)
    assert row is not None and loaded is not None
    assert type(row.priority) is Priority and row.priority is Priority.CRITICAL
    assert row.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
    assert type(timer.kind) is TimerKind and timer.kind is TimerKind.CRITICAL_UPDATE
    assert loaded.priority is Priority.CRITICAL


def test_a_plain_string_of_a_known_value_is_stored_as_that_member(
    database: Database, make_request: Callable[..., Request]
) -> None:
    row = SupportRequest(
        **{
            **make_request().__dict__,
            "id": None,
            "terms": None,
            "priority": "low",
            "status": "waiting_on_customer",
        }
    )
    with database.session() as session:
        session.add(row)
        session.flush()
        request_id = row.id
    with database.session() as session:
        loaded = get_request(session, request_id or 0)
    assert loaded is not None
    assert loaded.priority is Priority.LOW
    assert loaded.status is RequestStatus.WAITING_ON_CUSTOMER


@pytest.mark.parametrize("column", ["priority", "status"])
def test_an_unknown_enum_value_is_refused(
    database: Database, make_request: Callable[..., Request], column: str
) -> None:
    request = make_request().but(**{column: "urgent"})
    with pytest.raises(StatementError, match="'urgent' is not a valid"), database.session() as s:
        add_request(s, request)
    assert _count(database, "support_requests") == 0


def test_an_unknown_timer_kind_is_refused_by_the_column(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with database.session() as session:
        request_id = add_request(session, make_request()).id
    timer = Timer(
        request_id=request_id,
        kind="nap",  # type: ignore[arg-type]
        fire_at=BEFORE_DST,
        request_version=1,
        created_at=BEFORE_DST,
    )
    with pytest.raises(StatementError, match="'nap' is not a valid"), database.session() as s:
        s.add(timer)
    assert _count(database, "timers") == 0


def test_enum_text_keeps_its_declared_length() -> None:
    assert EnumText(Priority, 16).impl_instance.length == 16  # type: ignore[attr-defined]
    assert SupportRequest.__table__.c.priority.type.length == 16  # type: ignore[attr-defined]


def test_enum_text_binds_values_and_loads_members_without_a_database() -> None:
    column = EnumText(Priority, 16)
    assert column.process_bind_param(Priority.HIGH, DIALECT) == "high"
    assert column.process_bind_param("high", DIALECT) == "high"
    assert column.process_bind_param(None, DIALECT) is None
    assert column.process_result_value("high", DIALECT) is Priority.HIGH
    assert column.process_result_value(None, DIALECT) is None
    with pytest.raises(ValueError, match="'urgent' is not a valid Priority"):
        column.process_bind_param("urgent", DIALECT)
    with pytest.raises(ValueError, match="'urgent' is not a valid Priority"):
        column.process_result_value("urgent", DIALECT)
