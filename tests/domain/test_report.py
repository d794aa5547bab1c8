"""SLA report arithmetic, pure: a hand-built history, percentiles, since, DST, definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.report import (
    FIELD_NAMES,
    FirstResponse,
    Resolution,
    build_report,
    facts_of,
    resolution_time,
    since_instant,
)
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import SlaPolicy
from tests.services.reporting_history import (
    EXPECTED_SINCE,
    HIGH,
    NOW,
    RESOLVED,
    SINCE,
    at,
    filed,
    history,
)

CALENDAR = BusinessCalendar.default()


def test_the_hand_built_requests_carry_the_policy_due_instants() -> None:
    policy = SlaPolicy(CALENDAR)
    for name, request in history().items():
        due = policy.first_response_due(request.priority, request.created_at)
        assert due == request.first_response_due_at, name


def test_report_matches_the_numbers_worked_out_by_hand() -> None:
    requests = [request for name, request in history().items() if name != "M0"]

    report = build_report(requests, calendar=CALENDAR, now=NOW, since=date.fromisoformat(SINCE))

    assert report.to_json() == EXPECTED_SINCE


@dataclass(frozen=True)
class Clocks:
    """Only what the report reads of a request: any such value can be reported on."""

    priority: Priority
    status: RequestStatus
    created_at: DateTime
    first_response_due_at: DateTime
    first_responded_at: DateTime | None = None
    breached_at: DateTime | None = None
    resolved_at: DateTime | None = None
    escalated_to_development_at: DateTime | None = None
    resolution_paused_since: DateTime | None = None
    resolution_paused_seconds: int = 0


def test_a_projection_of_the_clocks_reports_as_the_requests_do() -> None:
    requests = list(history().values())
    projected = [
        Clocks(**{name: getattr(request, name) for name in Clocks.__dataclass_fields__})
        for request in requests
    ]

    assert build_report(projected, calendar=CALENDAR, now=NOW) == build_report(
        requests, calendar=CALENDAR, now=NOW
    )


def test_json_field_names_are_stable() -> None:
    data = build_report([], calendar=CALENDAR, now=NOW).to_json()

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


def test_generated_at_is_utc_to_the_second() -> None:
    report = build_report([], calendar=CALENDAR, now=at("2026-03-11T12:00:00.75-04:00"))

    assert report.to_json()["generated_at"] == "2026-03-11T16:00:00Z"
    assert report.to_json()["since"] is None
    assert report.to_json()["timezone"] == "America/New_York"


def test_an_empty_history_has_counts_of_zero_and_no_percentages_or_times() -> None:
    totals = build_report([], calendar=CALENDAR, now=NOW).to_json()["totals"]

    assert totals["filed"] == 0
    assert totals["attainment_pct"] is None
    assert totals["median_first_response_business_seconds"] is None
    assert totals["p90_first_response_wall_seconds"] is None
    assert totals["resolution_attainment_pct"] is None


def test_business_time_across_the_spring_forward_weekend() -> None:
    facts = facts_of(history()["H2"], calendar=CALENDAR, now=NOW)

    # 30 min before Friday's close and 30 min after Sunday's opening (18:00 EDT).
    assert facts.business == timedelta(minutes=60)
    # Friday 20:30 EST to Sunday 18:30 EDT is 45 real hours, not 46.
    assert facts.wall == timedelta(hours=45)
    assert facts.first_response is FirstResponse.ON_TIME


def test_business_time_across_the_fall_back_weekend() -> None:
    # Fall back on Sunday 1 November 2026 at 02:00 (EDT becomes EST).
    request = filed(
        "F",
        HIGH,
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
    request = filed(
        "R",
        HIGH,
        "2026-03-09T09:00-04:00",
        "2026-03-09T10:00-04:00",
        status=RESOLVED,
        resolved_at="2026-03-09T10:05-04:00",
    )

    facts = facts_of(request, calendar=CALENDAR, now=NOW)

    assert facts.first_response is FirstResponse.LATE
    assert facts.open_breach is False


def test_time_waiting_on_the_customer_does_not_count_against_resolution() -> None:
    m1 = history()["M1"]
    assert facts_of(m1, calendar=CALENDAR, now=NOW).resolution is Resolution.WITHIN
    # 112 business hours from Sunday's opening to Friday 10:00, less 20 h waiting.
    assert resolution_time(m1, calendar=CALENDAR, end=m1.resolved_at or NOW) == timedelta(hours=92)

    without_pause = m1.but(resolution_paused_seconds=0)  # 112 business hours
    assert facts_of(without_pause, calendar=CALENDAR, now=NOW).resolution is Resolution.LATE


def test_a_running_pause_keeps_an_open_request_within_its_target() -> None:
    l3 = history()["L3"]
    assert facts_of(l3, calendar=CALENDAR, now=NOW).resolution is Resolution.RUNNING

    unpaused = l3.but(resolution_paused_since=None)  # 102 business hours
    assert facts_of(unpaused, calendar=CALENDAR, now=NOW).resolution is Resolution.PAST_TARGET


def test_requests_escalated_to_development_leave_the_resolution_norm() -> None:
    m2 = history()["M2"].but(
        status=RequestStatus.RESOLVED,
        resolved_at=at("2026-03-10T12:00-04:00"),  # well past 4 business days
    )

    facts = facts_of(m2, calendar=CALENDAR, now=NOW)

    assert facts.resolution is Resolution.ESCALATED
    assert facts.open_breach is False


def test_the_escalated_status_alone_leaves_the_resolution_norm() -> None:
    l2 = history()["L2"].but(status=RequestStatus.ESCALATED_TO_DEVELOPMENT)

    assert facts_of(l2, calendar=CALENDAR, now=NOW).resolution is Resolution.ESCALATED


def test_every_request_counts_under_its_current_priority() -> None:
    h1 = history()["H1"].but(priority=Priority.LOW)

    report = build_report([h1], calendar=CALENDAR, now=NOW)

    assert [(p, t.filed) for p, t in report.priorities] == [
        (Priority.LOW, 1),
        (Priority.MEDIUM, 0),
        (Priority.HIGH, 0),
        (Priority.CRITICAL, 0),
    ]


def test_since_is_local_midnight_in_the_business_timezone() -> None:
    assert since_instant(date(2026, 3, 1), CALENDAR) == at("2026-03-01T05:00Z")
    assert since_instant(date(2026, 3, 9), CALENDAR) == at("2026-03-09T04:00Z")
