"""Engines and sessions: SQLite pragmas, in-memory sharing, commit and rollback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel

from bot.db.engine import Database, is_memory_sqlite, is_sqlite, make_engine, normalize_url
from bot.db.models import SupportRequest
from bot.db.requests_repo import add_request, get_request
from bot.domain.model import Request


@pytest.mark.parametrize(
    ("url", "sqlite", "memory"),
    [
        ("sqlite://", True, True),
        ("sqlite:///:memory:", True, True),
        ("sqlite:///desk.db", True, False),
        ("postgresql+psycopg://bot@db/desk", False, False),
    ],
)
def test_url_kinds(url: str, sqlite: bool, memory: bool) -> None:
    assert is_sqlite(url) is sqlite
    assert is_memory_sqlite(url) is memory


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg3(scheme: str) -> None:
    assert normalize_url(f"{scheme}://bot@db/desk").drivername == "postgresql+psycopg"


def test_sqlite_file_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}
    finally:
        engine.dispose()


def test_memory_sqlite_is_one_database_for_every_thread() -> None:
    database = Database.from_url("sqlite://")
    assert isinstance(database.engine.pool, StaticPool)
    SQLModel.metadata.create_all(database.engine)
    seen: list[int] = []

    def count() -> None:
        with database.session() as session:
            seen.append(session.connection().execute(text("SELECT count(*) FROM timers")).one()[0])

    thread = threading.Thread(target=count)
    thread.start()
    thread.join(timeout=10)
    assert seen == [0]
    database.dispose()


def test_foreign_keys_are_enforced(database: Database) -> None:
    orphan = text(
        "INSERT INTO timers (request_id, kind, fire_at, state, request_version, attempts,"
        " created_at) VALUES (999, 'k', CURRENT_TIMESTAMP, 'pending', 1, 0, CURRENT_TIMESTAMP)"
    )
    with pytest.raises(IntegrityError), database.session() as session:
        session.connection().execute(orphan)


def _count_requests(session: Session) -> int:
    return int(session.connection().execute(text("SELECT count(*) FROM support_requests")).one()[0])


def test_session_commits_or_rolls_back(
    database: Database, make_request: Callable[..., Request]
) -> None:
    assert database.dialect in ("sqlite", "postgresql")
    with pytest.raises(RuntimeError), database.session() as session:
        add_request(session, make_request())
        raise RuntimeError("boom")
    with database.session() as session:
        kept = add_request(session, make_request())
    with database.session() as session:
        assert _count_requests(session) == 1
        assert get_request(session, kept.id) == kept
        row = session.get(SupportRequest, kept.id)
    assert row is not None
    assert row.subject == kept.subject  # still readable after commit: expire_on_commit=False


def test_unit_of_work_commits_or_rolls_back(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work() as uow:
        uow.requests.add(make_request())
        raise RuntimeError("boom")
    with database.unit_of_work() as uow:
        kept = uow.requests.add(make_request())
    with database.unit_of_work() as uow:
        assert _count_requests(uow.session) == 1
        assert uow.requests.get(kept.id) == kept
