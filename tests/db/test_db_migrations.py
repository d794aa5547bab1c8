"""The packaged Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import bot.db.models  # noqa: F401  (registers the tables)
from bot.db.engine import Database, make_engine
from bot.db.idempotency_repo import claim_key, forget_keys_before
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
from bot.db.requests_repo import get_by_conversation, get_request, threads_of
from bot.domain.model import ConversationRef
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla_terms import SlaTerms

TABLES = {
    "support_requests",
    "timers",
    "request_events",
    "idempotency_keys",
    "channel_pace",
    "conversation_threads",
} | {"status_incidents", "status_incident_updates", "status_poller"}  # 0005: the status feed
TABLES |= {"outage_summaries", "outage_members", "incident_notes"}  # 0006: outage pages
TABLES |= {"customer_accounts", "account_channels", "account_teams", "account_admins"}  # 0007
TABLES |= {"shared_prompts", "shared_channel_pins", "unmapped_channel_notices"}  # 0008
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS_DIR.parent.name == "db"
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert head_revision() == "0009"


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert _tables(database_url) == TABLES
    upgrade(database_url)  # already at head: nothing to do
    assert current_revision(database_url) == head_revision()


def _insert_at_0001(url: str, *, request_id: int, channel: str | None, ts: str | None) -> None:
    """A request as a 0001 database holds it: no terms, no pending flag, no thread table."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO support_requests (id, team_id, requester_id, requester_name,"
                    " subject, description, priority, intake_channel, area, contact, kind,"
                    " status, slack_channel_id, thread_ts, created_at, updated_at,"
                    " first_response_due_at, resolution_paused_seconds, version)"
                    " VALUES (:id, 'T0001', 'U0001', 'Dana', 'Widget down', 'Spins forever',"
                    " 'high', 'chat', 'chat', 'thread', 'problem', 'in_progress', :channel, :ts,"
                    " :at, :at, :at, 0, 3)"
                ),
                # SQLite holds the UTC wall time (bot.db.types.UTCDateTime); PostgreSQL an instant.
                {
                    "id": request_id,
                    "channel": channel,
                    "ts": ts,
                    "at": T0.replace(tzinfo=None) if url.startswith("sqlite") else T0,
                },
            )
    finally:
        engine.dispose()


def test_upgrade_0001_to_0002_keeps_requests_findable_by_conversation(database_url: str) -> None:
    upgrade(database_url, "0001")
    assert current_revision(database_url) == "0001"
    _insert_at_0001(database_url, request_id=1, channel="C_SUPPORT", ts="1700000000.000100")
    _insert_at_0001(database_url, request_id=2, channel=None, ts=None)

    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            found = get_by_conversation(session, "C_SUPPORT", "1700000000.000100")
            unposted = get_request(session, 2)
            threads = threads_of(session, 1)
            opened_at = session.connection().execute(
                text("SELECT opened_at FROM conversation_threads")
            )
            opened = [row[0] for row in opened_at]
    finally:
        database.dispose()
    assert found is not None and unposted is not None
    assert found.id == 1
    assert found.conversation_pending is False  # its root message was posted long ago
    assert unposted.conversation_pending is True  # still owed one
    assert threads == [ConversationRef("C_SUPPORT", "1700000000.000100")]
    assert len(opened) == 1  # the thread opened when the request was filed
    assert (found.priority, found.status, found.version) == (
        Priority.HIGH,
        RequestStatus.IN_PROGRESS,
        3,
    )
    assert found.created_at == T0
    assert found.terms == SlaTerms()  # filed before terms were kept: the defaults


def test_upgrade_0001_to_0002_indexes_keys_by_age(database_url: str) -> None:
    upgrade(database_url, "0001")
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        indexes = {
            index["name"]: index for index in inspect(engine).get_indexes("idempotency_keys")
        }
    finally:
        engine.dispose()
    assert indexes["ix_idempotency_created"]["column_names"] == ["created_at"]
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            assert claim_key(session, key="k", scope="event", now=T0)
            assert forget_keys_before(session, before=T0.replace(year=2027)) == 1
    finally:
        database.dispose()


def test_downgrade_0002_to_0001_drops_what_it_added(database: Database, database_url: str) -> None:
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    assert current_revision(database_url) == "0001"
    assert _tables(database_url) == {
        "support_requests", "timers", "request_events", "idempotency_keys", "channel_pace"
    }  # fmt: skip
    engine = make_engine(database_url)
    try:
        columns = {column["name"] for column in inspect(engine).get_columns("support_requests")}
    finally:
        engine.dispose()
    assert not {"sla_terms", "conversation_pending"} & columns


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
