"""SLA reporting over stored requests, on each backend (the arithmetic: tests/domain)."""

from __future__ import annotations

from datetime import date

from bot.db.engine import Database
from bot.domain.calendar import BusinessCalendar
from bot.domain.report import build_report
from bot.domain.requests import Priority
from bot.services.reporting import load_report
from tests.services.reporting_history import EXPECTED_SINCE, NOW, at, history, store

CALENDAR = BusinessCalendar.default()


def test_stored_requests_report_as_the_requests_themselves(database: Database) -> None:
    requests = list(history().values())
    store(database, requests)

    stored = load_report(database, calendar=CALENDAR, now=NOW)

    assert stored == build_report(requests, calendar=CALENDAR, now=NOW)


def test_load_report_filters_by_local_date_in_the_database(database: Database) -> None:
    store(database, history().values())

    since_march = load_report(database, calendar=CALENDAR, now=NOW, since=date(2026, 3, 1))
    since_feb = load_report(database, calendar=CALENDAR, now=NOW, since=date(2026, 2, 28))
    everything = load_report(database, calendar=CALENDAR, now=NOW)

    assert since_march.to_json() == EXPECTED_SINCE
    assert since_feb.totals.filed == everything.totals.filed == 14
    medium = dict(everything.priorities)[Priority.MEDIUM]
    assert (medium.filed, medium.first_response_excluded, medium.resolved_within_target) == (
        4,
        2,
        3,
    )
    assert everything.totals.resolution_attainment_pct == 75.0  # 6 / (6 + 1 + 1)


def test_load_report_until_leaves_out_later_requests(database: Database) -> None:
    store(database, history().values())
    monday = at("2026-03-09T12:00-04:00")

    report = load_report(database, calendar=CALENDAR, now=monday, until=monday)

    # H4, H5 and C2 were filed later; H3 was answered late by then, L2 and L3 run.
    assert report.totals.filed == 11
    high = dict(report.priorities)[Priority.HIGH]
    assert (high.filed, high.first_response_on_time, high.first_response_late) == (3, 2, 1)


def test_an_empty_database_reports_nothing(database: Database) -> None:
    report = load_report(database, calendar=CALENDAR, now=NOW, since=date(2026, 3, 1))

    assert report.totals.filed == 0
    assert report.since == date(2026, 3, 1)
