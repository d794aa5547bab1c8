"""The vendor's status history in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pendulum
import pytest
from alembic import command
from sqlalchemy import inspect

from bot.db.engine import Database, make_engine
from bot.db.migrate import MIGRATIONS_DIR, alembic_config, head_revision
from bot.domain.incident_sync import Announcement, Reply, SyncStep, sync_step
from bot.domain.incidents import Incident, IncidentUpdate
from bot.domain.model import ConversationRef

T0 = pendulum.datetime(2026, 5, 1, 13, 39)
FIRST = IncidentUpdate("u1", "investigating", "Looking into it.", T0)
SECOND = IncidentUpdate("u2", "identified", "Found it.", T0.add(minutes=20))
GOING = Incident(
    id="inc1",
    name="Email is slow",
    status="investigating",
    impact="minor",
    created_at=T0,
    shortlink="https://stspg.io/1",
    components=("Channel - Email",),
    updates=(FIRST,),
)
STATUS_TABLES = {"status_incidents", "status_incident_updates", "status_poller"}


def store(db: Database, incident: Incident, *, first_look: bool = False) -> SyncStep | None:
    with db.unit_of_work() as uow:
        step = sync_step(
            uow.status.tracked([incident.id]).get(incident.id),
            incident,
            first_look=first_look,
            now=T0.add(minutes=5),
        )
        if step is not None:
            uow.status.apply(step)
    return step


def test_the_status_revision_is_the_single_head() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [head_revision()]
    assert (MIGRATIONS_DIR / "versions" / "0005_status_incidents.py").is_file()
    assert scripts.get_revision("0005") is not None


def test_migrations_create_and_drop_the_status_tables(database: Database) -> None:
    assert set(inspect(database.engine).get_table_names()) >= STATUS_TABLES
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005-1")
    engine = make_engine(database.engine.url)
    try:
        assert not STATUS_TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_incident_round_trips_with_its_updates(database: Database) -> None:
    store(database, GOING)
    store(database, replace(GOING, status="identified", updates=(FIRST, SECOND)))

    with database.unit_of_work() as uow:
        tracked = uow.status.tracked(["inc1", "unknown"])
        history = uow.status.history()
    assert list(tracked) == ["inc1"]
    assert tracked["inc1"].incident == replace(GOING, status="identified", updates=(FIRST, SECOND))
    assert tracked["inc1"].announcement is Announcement.OWED
    assert history == [tracked["inc1"].incident]


def test_the_feed_ids_are_unique(database: Database) -> None:
    store(database, GOING)
    with database.unit_of_work() as uow:
        step = SyncStep(GOING, Announcement.OWED, ((FIRST, Reply.OWED),), refresh=False)
        uow.status.apply(step)  # the same incident and update again: nothing doubles
        assert len(uow.status.history()) == 1
        assert len(uow.status.history()[0].updates) == 1


def test_announcing_then_replying_then_refreshing(database: Database) -> None:
    store(database, GOING)
    with database.unit_of_work() as uow:
        assert uow.status.owed_announcements(10) == ["inc1"]
        assert uow.status.lock("inc1") is not None
        uow.status.announced("inc1", ConversationRef("C0SUPPORT", "1.000100"))
    store(database, replace(GOING, status="identified", updates=(FIRST, SECOND)))

    with database.unit_of_work() as uow:
        assert uow.status.owed_announcements(10) == []
        assert uow.status.stale_announcements(10) == ["inc1"]
        (update_id,) = uow.status.owed_replies(10)
        owed = uow.status.lock_reply(update_id)
        assert owed is not None
        assert owed.update == SECOND
        assert owed.message == ConversationRef("C0SUPPORT", "1.000100")
        uow.status.replied(update_id, "1.000200")
        uow.status.refreshed("inc1")
    with database.unit_of_work() as uow:
        assert uow.status.owed_replies(10) == []
        assert uow.status.lock_reply(update_id) is None
        assert uow.status.stale_announcements(10) == []


def test_failures_count_and_giving_up_stops_the_retries(database: Database) -> None:
    store(database, GOING)
    with database.unit_of_work() as uow:
        uow.status.announcement_failed("inc1", attempts=1, give_up=False)
    with database.unit_of_work() as uow:
        tracked = uow.status.lock("inc1")
        assert tracked is not None and tracked.attempts == 1
        uow.status.announcement_failed("inc1", attempts=2, give_up=True)
    with database.unit_of_work() as uow:
        assert uow.status.owed_announcements(10) == []
        assert uow.status.tracked(["inc1"])["inc1"].announcement is Announcement.FAILED


def test_history_since_and_the_active_incidents(database: Database) -> None:
    long_ago = T0.subtract(days=40)
    old = replace(
        GOING, id="old", created_at=long_ago, status="resolved", resolved_at=long_ago.add(hours=1)
    )
    odd = replace(GOING, id="maint", status="in_progress", created_at=T0.add(hours=1))
    for incident in (old, GOING, odd):
        store(database, incident)

    with database.unit_of_work() as uow:
        recent = uow.status.history(T0.subtract(days=30))
        active = uow.status.active()
    assert [i.id for i in recent] == ["maint", "inc1"]
    assert [i.id for i in active] == ["inc1", "maint"]


def test_one_holder_at_a_time_until_the_lease_runs_out(database: Database) -> None:
    with database.unit_of_work() as uow:
        assert uow.status_lease.take(holder="a", now=100.0, until=200.0)
        assert not uow.status_lease.take(holder="b", now=150.0, until=250.0)
        assert uow.status_lease.take(holder="a", now=150.0, until=300.0)  # renewal
    with database.unit_of_work() as uow:
        assert not uow.status_lease.take(holder="b", now=299.0, until=400.0)
        assert uow.status_lease.take(holder="b", now=300.0, until=400.0)  # expired: taken over
        uow.status_lease.give_back(holder="a")  # not a's any more: nothing happens
        assert not uow.status_lease.take(holder="a", now=301.0, until=500.0)
        uow.status_lease.give_back(holder="b")
        assert uow.status_lease.take(holder="a", now=302.0, until=500.0)


@pytest.mark.postgres
def test_a_locked_incident_is_skipped_by_another_replica(postgres_url: str) -> None:
    from bot.db.migrate import upgrade

    upgrade(postgres_url)
    database = Database.from_url(postgres_url)
    try:
        store(database, GOING)
        held, release, seen = threading.Event(), threading.Event(), []

        def hold() -> None:
            with database.unit_of_work() as uow:
                uow.status.lock("inc1")
                held.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        assert held.wait(10)
        with database.unit_of_work() as uow:
            seen.append(uow.status.lock("inc1"))
        release.set()
        holder.join(10)
        with database.unit_of_work() as uow:
            seen.append(uow.status.lock("inc1"))
    finally:
        database.dispose()
    assert seen[0] is None
    assert seen[1] is not None
