"""SLA reporting: the math on a hand-built history, percentiles, since, DST, definitions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.domain.calendar import BusinessCalendar
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.services.reporting import (
    FIELD_NAMES,
    FirstResponse,
    Resolution,
    build_report,
    facts_of,
    load_report,
    percentile,
    since_instant,
)
from tests.services.reporting_history import EXPECTED_SINCE, NOW, SINCE, at, history, row

CALENDAR = BusinessCalendar.default()


def _store(db: Database, requests: list[SupportRequest]) -> None:
    with db.session() as session:
        session.add_all(requests)


def test_the_hand_built_rows_carry_the_policy_due_instants() -> None:
    policy = SlaPolicy(CALENDAR)
    for name, request in history().items():
        due = policy.first_response_due(Priority(request.priority), request.created_at)
        assert due == request.first_response_due_at, name


def test_report_matches_the_numbers_worked_out_by_hand() -> None:
    rows = [request for name, request in history().items() if name != "M0"]

    report = build_report(rows, calendar=CALENDAR, now=NOW, since=date.fromisoformat(SINCE))

    assert report.to_json() == EXPECTED_SINCE


def test_json_field_names_are_stable() -> None:
    report = build_report([], calendar=CALENDAR, now=NOW)
    data = report.to_json()

    assert list(data) == ["since", "generated_at", "timezone", "priorities", "totals"]
    assert [p["priority"] for p in data["priorities"]] == ["low", "medium", "high", "critical"]
    assert list(data["totals"]) == list(FIELD_NAMES)
    assert FIELD_NAMES == (
        "filed",
        "first_response_on_time",
        "first_response_late",
        "first_response_excluded",
        "attainment_pct",
        "median_first_response_business_seconds",
        "p90_first_response_business_seconds",
        "median_first_response_wall_seconds",
        "p90_first_response_wall_seconds",
        "open_breaches",
        "resolved_within_target",
        "resolved_late",
        "unresolved_past_target",
        "resolution_excluded_escalated",
        "resolution_attainment_pct",
    )


def test_an_empty_history_has_counts_of_zero_and_no_percentages_or_times() -> None:
    totals = build_report([], calendar=CALENDAR, now=NOW).to_json()["totals"]

    assert totals["filed"] == 0
    assert totals["attainment_pct"] is None
    assert totals["median_first_response_business_seconds"] is None
    assert totals["p90_first_response_wall_seconds"] is None
    assert totals["resolution_attainment_pct"] is None


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([5.0], 0.9, 5.0),
        ([1.0, 3.0], 0.5, 2.0),
        ([3.0, 1.0, 2.0], 0.5, 2.0),
        ([10.0, 20.0, 30.0, 40.0], 0.5, 25.0),
        # position (4 - 1) x 0.9 = 2.7: 30 + 0.7 x 10
        ([10.0, 20.0, 30.0, 40.0], 0.9, 37.0),
        ([10.0, 20.0, 30.0, 40.0], 0.0, 10.0),
        ([10.0, 20.0, 30.0, 40.0], 1.0, 40.0),
        # position 9 x 0.9 = 8.1: 9 + 0.1 x (100 - 9)
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0], 0.9, 18.1),
    ],
)
def test_percentiles_interpolate_between_closest_ranks(
    values: list[float], fraction: float, expected: float
) -> None:
    assert percentile(values, fraction) == pytest.approx(expected)


def test_percentile_refuses_nothing_and_bad_fractions() -> None:
    with pytest.raises(ValueError, match="at least one"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="fraction"):
        percentile([1.0], 1.5)


def test_business_time_across_the_spring_forward_weekend() -> None:
    facts = facts_of(history()["H2"], calendar=CALENDAR, now=NOW)

    # 30 min before Friday's close and 30 min after Sunday's opening (18:00 EDT).
    assert facts.business == timedelta(minutes=60)
    # Friday 20:30 EST to Sunday 18:30 EDT is 45 real hours, not 46.
    assert facts.wall == timedelta(hours=45)
    assert facts.first_response is FirstResponse.ON_TIME


def test_business_time_across_the_fall_back_weekend() -> None:
    # Fall back on Sunday 1 November 2026 at 02:00 (EDT becomes EST).
    request = row(
        "F",
        "high",
        "2026-10-30T20:40-04:00",
        "2026-11-01T18:40-05:00",
        first_responded_at="2026-11-01T18:50-05:00",
    )

    facts = facts_of(request, calendar=CALENDAR, now=at("2026-11-02T12:00-05:00"))

    assert facts.business == timedelta(minutes=70)
    assert facts.wall == timedelta(hours=47, minutes=10)
    assert facts.first_response is FirstResponse.LATE


def test_an_unanswered_request_is_excluded_until_its_due_then_late() -> None:
    request = history()["H5"]  # due 12:30 EDT

    before = facts_of(request, calendar=CALENDAR, now=at("2026-03-11T12:30-04:00"))
    after = facts_of(request, calendar=CALENDAR, now=at("2026-03-11T12:31-04:00"))

    assert before.first_response is FirstResponse.EXCLUDED
    assert after.first_response is FirstResponse.LATE
    assert before.business is None and before.wall is None


def test_a_request_resolved_unanswered_is_judged_when_it_was_resolved() -> None:
    request = row(
        "R",
        "high",
        "2026-03-09T09:00-04:00",
        "2026-03-09T10:00-04:00",
        status="resolved",
        resolved_at="2026-03-09T10:05-04:00",
    )

    facts = facts_of(request, calendar=CALENDAR, now=NOW)

    assert facts.first_response is FirstResponse.LATE
    assert facts.open_breach is False


def test_time_waiting_on_the_customer_does_not_count_against_resolution() -> None:
    m1 = history()["M1"]
    assert facts_of(m1, calendar=CALENDAR, now=NOW).resolution is Resolution.WITHIN

    m1.resolution_paused_seconds = 0  # 112 business hours without the pause
    assert facts_of(m1, calendar=CALENDAR, now=NOW).resolution is Resolution.LATE


def test_a_running_pause_keeps_an_open_request_within_its_target() -> None:
    l3 = history()["L3"]
    assert facts_of(l3, calendar=CALENDAR, now=NOW).resolution is Resolution.RUNNING

    l3.resolution_paused_since = None  # 102 business hours without the running pause
    assert facts_of(l3, calendar=CALENDAR, now=NOW).resolution is Resolution.PAST_TARGET


def test_requests_escalated_to_development_leave_the_resolution_norm() -> None:
    m2 = history()["M2"]
    m2.status = "resolved"
    m2.resolved_at = at("2026-03-10T12:00-04:00")  # well past 4 business days

    facts = facts_of(m2, calendar=CALENDAR, now=NOW)

    assert facts.resolution is Resolution.ESCALATED
    assert facts.open_breach is False


def test_since_is_local_midnight_in_the_business_timezone() -> None:
    assert since_instant(date(2026, 3, 1), CALENDAR) == at("2026-03-01T05:00Z")
    assert since_instant(date(2026, 3, 9), CALENDAR) == at("2026-03-09T04:00Z")


def test_load_report_filters_by_local_date_in_the_database(database: Database) -> None:
    _store(database, list(history().values()))

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
    _store(database, list(history().values()))
    monday = at("2026-03-09T12:00-04:00")

    report = load_report(database, calendar=CALENDAR, now=monday, until=monday)

    # H4, H5 and C2 were filed later; H3 was answered late by then, L2 and L3 run.
    assert report.totals.filed == 11
    high = dict(report.priorities)[Priority.HIGH]
    assert (high.filed, high.first_response_on_time, high.first_response_late) == (3, 2, 1)
