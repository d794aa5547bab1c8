"""Migration 0003: the requester's contact outside Slack, stored and read back."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from bot.db.engine import Database, make_engine
from bot.db.migrate import alembic_config, current_revision, upgrade
from bot.db.requests_repo import add_request, get_request, save_request
from tests.conftest import new_request

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _columns(url: str) -> dict[str, dict[str, object]]:
    engine = make_engine(url)
    try:
        return {c["name"]: dict(c) for c in inspect(engine).get_columns("support_requests")}
    finally:
        engine.dispose()


def test_the_contact_is_stored_and_read_back(database: Database) -> None:
    with database.session() as session:
        emailed = add_request(session, new_request(requester_contact="dana@acme.example"))
        in_chat = add_request(session, new_request())
    with database.session() as session:
        found = get_request(session, emailed.id)
        assert found is not None
        assert found.requester_contact == "dana@acme.example"
        assert found == emailed
        chat = get_request(session, in_chat.id)
        assert chat is not None
        assert chat.requester_contact is None
        save_request(session, found.but(requester_contact="dana.reyes@acme.example"))
    with database.session() as session:
        changed = get_request(session, emailed.id)
        assert changed is not None
        assert changed.requester_contact == "dana.reyes@acme.example"


def test_upgrade_0002_to_0003_keeps_requests_without_a_contact(database_url: str) -> None:
    upgrade(database_url, "0002")
    _insert_at_0002(database_url, request_id=7)

    upgrade(database_url, "0003")

    assert current_revision(database_url) == "0003"
    assert _columns(database_url)["requester_contact"]["nullable"] is True
    upgrade(database_url)  # the models read the head's columns
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            found = get_request(session, 7)
    finally:
        database.dispose()
    assert found is not None
    assert (found.subject, found.requester_contact) == ("Widget down", None)


def _insert_at_0002(url: str, *, request_id: int) -> None:
    """A request as a 0002 database holds it: no contact column yet."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO support_requests (id, team_id, requester_id, requester_name,"
                    " subject, description, priority, intake_channel, area, contact, kind,"
                    " status, conversation_pending, created_at, updated_at,"
                    " first_response_due_at, resolution_paused_seconds, version)"
                    " VALUES (:id, 'T0001', 'U0001', 'Dana', 'Widget down', 'Spins forever',"
                    " 'high', 'email', 'chat', 'thread', 'problem', 'new', true,"
                    " :at, :at, :at, 0, 1)"
                ),
                {
                    "id": request_id,
                    "at": T0.replace(tzinfo=None) if url.startswith("sqlite") else T0,
                },
            )
    finally:
        engine.dispose()


def test_downgrade_0003_to_0002_drops_the_column_and_keeps_the_rows(
    database: Database, database_url: str
) -> None:
    with database.session() as session:
        add_request(session, new_request(requester_contact="dana@acme.example"))
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")

    assert current_revision(database_url) == "0002"
    assert "requester_contact" not in _columns(database_url)
    with database.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM support_requests")).scalar()
    assert count == 1
