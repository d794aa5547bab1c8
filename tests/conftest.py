"""Shared database fixtures: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

PostgreSQL tests each get a fresh schema with a random name (via `search_path`), dropped
afterwards, so they never see each other's rows and leave nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.scratch import scratch_schema
from bot.domain.model import Request
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)

POSTGRES_ENV = "TEST_DATABASE_URL"
POSTGRES_URL = os.environ.get(POSTGRES_ENV, "")
NO_POSTGRES = f"set {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
# A Monday afternoon in New York: well inside business hours.
REQUEST_CREATED_AT = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)

DATABASE_PARAMS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)],
    ),
]


@contextmanager
def empty_database_url(backend: str, directory: Path) -> Iterator[str]:
    """The URL of an empty database: a file in `directory`, or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'bot.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with scratch_schema(POSTGRES_URL, prefix="test") as url:
        yield url


@pytest.fixture(params=DATABASE_PARAMS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database on each backend."""
    with empty_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A database migrated to the newest revision (by Alembic, as in production)."""
    upgrade(database_url)
    db = Database.from_url(database_url)
    yield db
    db.dispose()


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    """An empty PostgreSQL schema, for tests only PostgreSQL can run (skipped without it)."""
    with empty_database_url("postgres", tmp_path) as url:
        yield url


_ENUMS: dict[str, Any] = {
    "priority": Priority,
    "intake_channel": IntakeChannel,
    "area": AffectedArea,
    "contact": ContactPreference,
    "kind": RequestKind,
    "status": RequestStatus,
}


def _typed(name: str, value: Any) -> Any:
    if name in _ENUMS and isinstance(value, str):
        return _ENUMS[name](value)
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone("UTC")
    return value


def new_request(**overrides: Any) -> Request:
    """A valid, unsaved support request; keyword arguments replace any field (strings for
    enum fields and plain aware datetimes are accepted, as a row would hold them)."""
    created_at = overrides.get("created_at", REQUEST_CREATED_AT)
    fields: dict[str, Any] = {
        "team_id": "T0001",
        "requester_id": "U0001",
        "requester_name": "Dana Requester",
        "subject": "Chat widget does not load",
        "description": "Since this morning the widget spins forever on our help center.",
        "priority": "high",
        "intake_channel": "chat",
        "area": "chat",
        "contact": "thread",
        "kind": "problem",
        "status": "new",
        "created_at": created_at,
        "updated_at": created_at,
        "first_response_due_at": created_at + timedelta(hours=2),
    }
    fields.update(overrides)
    fields.setdefault("conversation_pending", not fields.get("thread_ts"))
    return Request(**{name: _typed(name, value) for name, value in fields.items()})


@pytest.fixture
def make_request() -> Callable[..., Request]:
    """The `new_request` factory: `make_request(priority="critical", project="Acme")`."""
    return new_request
