"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (several replicas)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from bot.clock import real_sleep, real_time

if TYPE_CHECKING:
    from bot.db.uow import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_POOL_SIZE = 5
POSTGRES_MAX_OVERFLOW = 10
POSTGRES_POOL_RECYCLE_SECONDS = 1800
# Real seconds `Database.retrying` keeps trying while the database is unavailable: a
# restart takes a few seconds, a managed failover up to about half a minute.
RETRY_PATIENCE_SECONDS = 30.0
RETRY_FIRST_WAIT_SECONDS = 0.1
RETRY_MAX_WAIT_SECONDS = 2.0


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database could not do the work now rather than refused it:
    down, restarting, a dropped connection, a busy SQLite file, a deadlock. Trying the same
    work again later is right; marking it failed is not."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError)


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL; plain `postgres://`/`postgresql://` get the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: str | URL) -> bool:
    """Whether the URL points at an SQLite database."""
    return normalize_url(url).get_backend_name() == "sqlite"


def is_memory_sqlite(url: str | URL) -> bool:
    """Whether the URL is an in-memory SQLite database (`sqlite://`, `sqlite:///:memory:`)."""
    parsed = normalize_url(url)
    return is_sqlite(parsed) and parsed.database in (None, "", ":memory:")


def make_engine(url: str | URL) -> Engine:
    """An engine tuned for its backend: pragmas on SQLite, a checked pool on PostgreSQL."""
    parsed = normalize_url(url)
    if is_sqlite(parsed):
        return _sqlite_engine(parsed)
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        pool_recycle=POSTGRES_POOL_RECYCLE_SECONDS,
    )


def _sqlite_engine(url: URL) -> Engine:
    memory = is_memory_sqlite(url)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if memory:
        # Every connection would otherwise get its own, empty, in-memory database.
        options["poolclass"] = StaticPool
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _sqlite_pragmas(wal=not memory))
    return engine


def _sqlite_pragmas(*, wal: bool) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                # WAL lets the web threads read while the scheduler writes.
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    return on_connect


class Database:
    """The engine plus short transactions: `with db.session() as session: ...`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str | URL) -> Database:
        """A database on a fresh engine made by `make_engine`."""
        return cls(make_engine(url))

    @property
    def dialect(self) -> str:
        """The backend's name: `sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction with its repositories; commits when the block succeeds."""
        from bot.db.uow import UnitOfWork

        with self.session() as session:
            yield UnitOfWork(session)

    def retrying(
        self, work: Callable[[UnitOfWork], T], *, patience: float = RETRY_PATIENCE_SECONDS
    ) -> T:
        """`work` in a unit of work, tried again while the database is unavailable, for up to
        `patience` real seconds (then its error is raised).

        For the writes that record what Slack has already done: were they given up, the app
        would do it again. `work` must be safe to run twice (a commit may land and still fail).
        """
        deadline = real_time() + patience
        wait = RETRY_FIRST_WAIT_SECONDS
        while True:
            try:
                with self.unit_of_work() as uow:
                    return work(uow)
            except Exception as error:
                if not database_unavailable(error) or real_time() + wait > deadline:
                    raise
                log.warning(
                    "the database is unavailable (%s); trying again in %.1f s",
                    _reason(error),
                    wait,
                )
            real_sleep(wait)
            wait = min(wait * 2, RETRY_MAX_WAIT_SECONDS)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _reason(error: BaseException) -> str:
    """The driver's error type: the message may quote the statement and its parameters."""
    original = getattr(error, "orig", None)
    return type(original if original is not None else error).__name__
