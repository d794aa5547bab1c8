"""The SLA report's reads: only the clock columns, typed, of the requests filed in a span."""

from __future__ import annotations

from pendulum import DateTime

from bot.db.engine import Database
from bot.db.reporting_repo import ReportedRequest, report_reads, requests_filed
from bot.domain.requests import Priority, RequestStatus
from tests.services.reporting_history import at, history, store


def test_the_clock_columns_load_as_enums_and_utc_instants(database: Database) -> None:
    m1 = history()["M1"]
    store(database, [m1])

    with database.unit_of_work() as uow:
        [loaded] = report_reads(uow).filed()

    assert loaded == ReportedRequest(
        priority=Priority.MEDIUM,
        status=RequestStatus.RESOLVED,
        created_at=m1.created_at,
        first_response_due_at=m1.first_response_due_at,
        first_responded_at=m1.first_responded_at,
        resolved_at=m1.resolved_at,
        resolution_paused_seconds=72000,
    )
    assert loaded.priority is Priority.MEDIUM and loaded.status is RequestStatus.RESOLVED
    assert isinstance(loaded.created_at, DateTime)
    assert loaded.created_at.timezone_name == "UTC"


def test_running_pauses_escalations_and_breaches_are_read(database: Database) -> None:
    m2, l3 = history()["M2"], history()["L3"]
    store(database, [m2, l3])

    with database.session() as session:
        escalated, waiting = requests_filed(session)

    assert escalated.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
    assert escalated.escalated_to_development_at == m2.escalated_to_development_at
    assert escalated.breached_at == m2.breached_at
    assert waiting.resolution_paused_since == l3.resolution_paused_since


def test_the_span_includes_both_ends(database: Database) -> None:
    requests = history()
    store(database, requests.values())
    h3, h4 = requests["H3"].created_at, requests["H4"].created_at

    with database.session() as session:
        between = requests_filed(session, start=h3, until=h4)
        after = requests_filed(session, start=at("2026-03-10T09:00:01-04:00"))
        before = requests_filed(session, until=at("2026-03-01T00:30-05:00"))

    assert [r.created_at for r in between] == [h3, h4]
    # H5 and C2 were filed after H4; M1 was the first request filed on local 1 March.
    assert len(after) == 2
    assert len(before) == 2  # M0 (28 February, local) and M1
