"""Schema migrations (Alembic), run as an explicit step; only SQLite migrates itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.db.engine import is_sqlite, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# Serializes concurrent `migrate` runs (several replicas starting at once) on PostgreSQL.
MIGRATION_LOCK_ID = 0x4B53_0001


class SchemaError(Exception):
    """The database schema does not match what this version of the bot needs."""


class SchemaBehind(SchemaError):
    """The schema is older than this version: run `python -m bot migrate`."""


class SchemaAhead(SchemaError):
    """The schema is newer than this version knows (a newer bot migrated it)."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code: the packaged scripts, optionally a live connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this version of the bot ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database is at; None when it was never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database up to `revision` (the newest by default), in one transaction."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def ensure_schema(url: str) -> None:
    """Check the schema is current; SQLite is migrated in place, PostgreSQL never is."""
    current, head = current_revision(url), head_revision()
    if current == head:
        return
    if current is not None and not _known(current):
        raise SchemaAhead(
            f"The database schema is at {current}, which this version (at {head}) does not "
            "know: run a newer version of the bot."
        )
    if is_sqlite(url):
        upgrade(url)
        return
    raise SchemaBehind(
        f"The database schema is at {current or 'no revision (empty)'} but this version "
        f"needs {head}: run `python -m bot migrate` first."
    )


def _known(revision: str) -> bool:
    scripts = ScriptDirectory.from_config(alembic_config())
    return any(script.revision == revision for script in scripts.walk_revisions())
