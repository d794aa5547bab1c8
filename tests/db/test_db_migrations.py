"""The packaged Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import bot.db.models  # noqa: F401  (registers the tables)
from bot.db.engine import Database, make_engine
from bot.db.migrate import (
    MIGRATIONS_DIR,
    SchemaAhead,
    SchemaBehind,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)

TABLES = {"support_requests", "timers", "request_events", "idempotency_keys", "channel_pace"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS_DIR.parent.name == "db"
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert head_revision() == "0001"


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert _tables(database_url) == TABLES
    upgrade(database_url)  # already at head: nothing to do
    assert current_revision(database_url) == head_revision()


def test_models_and_migrations_agree(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_due_index_is_partial_on_pending_timers(database: Database) -> None:
    indexes = {index["name"]: index for index in inspect(database.engine).get_indexes("timers")}
    due = indexes["ix_timer_due"]
    assert due["column_names"] == ["fire_at"]
    where = due.get("dialect_options", {}).get(f"{database.dialect}_where")
    assert "pending" in str(where)


def test_downgrade_to_base_removes_everything(database: Database, database_url: str) -> None:
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert _tables(database_url) == set()
    assert current_revision(database_url) is None


def test_ensure_schema_migrates_sqlite_itself(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    ensure_schema(url)
    assert current_revision(url) == head_revision()
    ensure_schema(url)  # current: a no-op
    assert _tables(url) == TABLES


@pytest.mark.postgres
def test_ensure_schema_refuses_to_migrate_postgres(postgres_url: str) -> None:
    with pytest.raises(SchemaBehind) as raised:
        ensure_schema(postgres_url)
    message = str(raised.value)
    assert "\n" not in message
    assert head_revision() in message
    assert "python -m bot migrate" in message
    assert _tables(postgres_url) == set()


@pytest.mark.postgres
def test_ensure_schema_accepts_a_migrated_postgres(postgres_url: str) -> None:
    upgrade(postgres_url)
    ensure_schema(postgres_url)


def test_ensure_schema_refuses_a_newer_schema(database: Database, database_url: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(SchemaAhead, match="ffff_future"):
        ensure_schema(database_url)
