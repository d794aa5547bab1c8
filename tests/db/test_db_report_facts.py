"""Migration 0009 on a database that already holds requests: the report works them out."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from bot.db.engine import Database
from bot.db.migrate import alembic_config, current_revision, upgrade
from bot.domain.calendar import BusinessCalendar
from bot.domain.report import build_report
from bot.services.reporting import load_report, refresh_report_facts
from tests.services.reporting_history import NOW, history, store

CALENDAR = BusinessCalendar.default()


def test_requests_filed_before_0009_are_reported_as_before(
    database: Database, database_url: str
) -> None:
    requests = store(database, history().values())
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")
    columns = {c["name"] for c in inspect(database.engine).get_columns("support_requests")}
    assert not any(name.startswith("report_") for name in columns)

    upgrade(database_url)

    assert current_revision(database_url) == "0009"
    assert load_report(database, calendar=CALENDAR, now=NOW) == build_report(
        requests, calendar=CALENDAR, now=NOW
    )
    assert refresh_report_facts(database, calendar=CALENDAR) == 0  # all worked out once
