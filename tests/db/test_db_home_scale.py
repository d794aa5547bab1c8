"""The Home at scale, on each backend: the queue's head, bounded work, and no report tally.

The engineer queue is read as the head of its partial indexes (`home_repo.queue_head`) and
must come out in `requests_repo.open_queue`'s order; the Home's SLA report is summed by the
database, so building a Home sends the same few statements however many requests exist,
and works out at most REFRESH_ROWS stale report facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event

from bot.clock import Clock, ManualClock
from bot.db.engine import Database
from bot.db.home_repo import queue_counts, queue_head
from bot.db.migrate import upgrade
from bot.db.report_facts_repo import stale_requests
from bot.db.requests_repo import open_queue
from bot.domain.calendar import BusinessCalendar
from bot.domain.model import Request
from bot.domain.report_facts import calendar_fingerprint
from bot.domain.sla import SlaPolicy
from bot.services.home import QUEUE_ROWS, REFRESH_ROWS, homes, report_since
from bot.services.reporting import load_report, refresh_report_facts
from tests.db.test_db_home import ENGINEER, Engineers
from tests.report_cases import REPORT_INSTANTS, random_history
from tests.services.reporting_history import store

POLICY = SlaPolicy(BusinessCalendar.default())
FINGERPRINT = calendar_fingerprint(POLICY.calendar)
NOW = REPORT_INSTANTS[1]


@dataclass(frozen=True)
class Reader:
    """The desk without Slack (a DeskReader), at NOW."""

    db: Database
    clock: Clock
    policy: SlaPolicy
    directory: Engineers


def _requests(count: int, *, seed: int = 11) -> list[Request]:
    """Random requests, about two in three open; two in three answered with a due."""
    drawn = random_history(count, policy=POLICY, seed=seed)
    return [
        request.but(resolution_due_at=request.created_at.add(days=n % 9)) if n % 3 else request
        for n, request in enumerate(drawn)
    ]


@contextmanager
def sent(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and their parameters) sent while the block runs."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, params: Any, *rest: Any) -> None:
        statements.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("limit", [1, 7, QUEUE_ROWS, 400])
def test_the_queue_head_is_the_open_queue_in_its_order(database: Database, limit: int) -> None:
    store(database, _requests(300))

    with database.session() as session:
        expected = open_queue(session, team_id=None, limit=limit)
        head = queue_head(session, limit=limit)
        open_total = queue_counts(session).open

    assert [request.id for request in head] == [request.id for request in expected]
    assert len(head) == min(limit, open_total)


def _home_statements(reader: Reader) -> list[tuple[str, Any]]:
    with sent(reader.db) as statements:
        [home] = homes(reader, user_ids=[ENGINEER])
    assert home.team is not None
    return statements


def test_a_home_sends_the_same_statements_for_30_or_300_requests(database: Database) -> None:
    reader = Reader(database, ManualClock(NOW), POLICY, Engineers(ENGINEER))
    store(database, _requests(30, seed=1))
    refresh_report_facts(database, calendar=POLICY.calendar)
    few = _home_statements(reader)
    store(database, _requests(270, seed=2))
    refresh_report_facts(database, calendar=POLICY.calendar)

    many = _home_statements(reader)

    assert len(many) == len(few)
    # Nothing was stale: the Home wrote nothing, and read the queue's head with a limit.
    assert not any(sql.lstrip().upper().startswith("UPDATE") for sql, _ in many)
    queue = [sql for sql, _ in many if "UNION ALL" in sql]
    assert len(queue) == 1 and f"LIMIT {QUEUE_ROWS}" in queue[0]


def test_a_home_works_out_at_most_its_share_of_stale_facts(database: Database) -> None:
    reader = Reader(database, ManualClock(NOW), POLICY, Engineers(ENGINEER))
    store(database, _requests(REFRESH_ROWS + 40))

    homes(reader, user_ids=[ENGINEER])

    with database.session() as session:
        assert len(stale_requests(session, fingerprint=FINGERPRINT, limit=1000)) == 40
    # Once the rest are worked out, the Home's report is the report of the last 30 days.
    refresh_report_facts(database, calendar=POLICY.calendar)
    [home] = homes(reader, user_ids=[ENGINEER])
    assert home.team is not None
    since = report_since(reader, now=NOW)
    assert home.team.report == load_report(database, calendar=POLICY.calendar, now=NOW, since=since)


@pytest.mark.postgres
def test_postgres_reads_the_queue_and_the_stale_facts_by_their_partial_indexes(
    postgres_url: str,
) -> None:
    upgrade(postgres_url)
    database = Database.from_url(postgres_url)
    try:
        stored = store(database, _requests(2000))
        refresh_report_facts(database, calendar=POLICY.calendar)
        with database.unit_of_work() as uow:  # a few first responses since the last refresh
            for request in stored[:5]:
                uow.requests.save(request.but(first_responded_at=NOW))
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE support_requests"
            )
        reader = Reader(database, ManualClock(NOW), POLICY, Engineers(ENGINEER))
        with sent(database) as statements:
            homes(reader, user_ids=[ENGINEER])
        plans = [(sql, _plan(database, sql, params)) for sql, params in statements]
    finally:
        database.dispose()

    # Each plan as PostgreSQL makes it when it may not scan the table: the partial indexes
    # match the queries' predicates, so each of these reads only the rows it needs.
    [queue] = [plan for sql, plan in plans if "UNION ALL" in sql]
    assert "ix_request_queue_breached" in queue and "ix_request_queue_unanswered" in queue
    assert any("ix_request_report_stale" in plan for _, plan in plans)


def _plan(database: Database, sql: str, params: Any) -> str:
    """The plan of one statement the Home sent, table scans off (SELECTs only)."""
    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        rows = connection.exec_driver_sql(f"EXPLAIN {sql}", params).all()
        connection.rollback()
    return "\n".join(str(row[0]) for row in rows)
