"""A hand-built fortnight of requests, and the SLA report numbers worked out by hand.

Calendar: the policy's default, Sun 18:00 to Fri 21:00 America/New_York. Daylight saving
starts on Sunday 8 March 2026 at 02:00 (EST, UTC-5, becomes EDT, UTC-4). The report is
taken on Wednesday 11 March 2026 at 12:00 EDT. Each row's comment shows the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pendulum
from pendulum import DateTime

from bot.db.engine import Database
from bot.domain.model import Request
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)

NOW = pendulum.parse("2026-03-11T12:00:00-04:00")
SINCE = "2026-03-01"
assert isinstance(NOW, DateTime)

# Short names keep the hand-built table below readable.
LOW, MEDIUM, HIGH, CRITICAL = Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL
NEW, RESOLVED = RequestStatus.NEW, RequestStatus.RESOLVED
WAITING_ON_CUSTOMER = RequestStatus.WAITING_ON_CUSTOMER
ESCALATED_TO_DEVELOPMENT = RequestStatus.ESCALATED_TO_DEVELOPMENT
BY_EMAIL = IntakeChannel.EMAIL


def at(text: str) -> DateTime:
    """An instant from ISO text with its offset, as UTC."""
    parsed = pendulum.parse(text)
    assert isinstance(parsed, DateTime)
    return parsed.in_timezone("UTC")


def filed(
    name: str,
    priority: Priority,
    created: str,
    due: str,
    *,
    status: RequestStatus = RequestStatus.IN_PROGRESS,
    intake_channel: IntakeChannel = IntakeChannel.CHAT,
    resolution_paused_seconds: int = 0,
    **instants: str,
) -> Request:
    """A request as the desk would have stored it; instants given as ISO text with offsets."""
    return Request(
        team_id="T0001",
        requester_id="U_ADA",
        subject=f"{name}: something is wrong",
        description="Hand-built history for the SLA report.",
        priority=priority,
        intake_channel=intake_channel,
        area=AffectedArea.EMAIL,
        contact=ContactPreference.THREAD,
        kind=RequestKind.PROBLEM,
        status=status,
        created_at=at(created),
        updated_at=at(created),
        first_response_due_at=at(due),
        resolution_paused_seconds=resolution_paused_seconds,
        **{field: at(text) for field, text in instants.items()},
    )


def store(db: Database, requests: Iterable[Request]) -> list[Request]:
    """Store the requests as the desk does (typed columns), each with its new id."""
    with db.unit_of_work() as uow:
        return [uow.requests.add(request) for request in requests]


def history() -> dict[str, Request]:
    """Fresh, unsaved requests by name (H = High, M = Medium, L = Low, C = Critical)."""
    return {
        # High, 1 h of business time.
        # H1: answered after 30 min; resolved after 24 business hours: within.
        "H1": filed("H1", HIGH, "2026-03-02T10:00-05:00", "2026-03-02T11:00-05:00",
                    first_responded_at="2026-03-02T10:30-05:00", status=RESOLVED,
                    resolved_at="2026-03-03T10:00-05:00"),
        # H2: Fri 20:30 EST, 30 min before the close; the other 30 min run from Sunday's
        # opening, which is 18:00 EDT after the clocks moved. Answered exactly at the due:
        # on time; business 3600 s; wall Sat 01:30Z -> Sun 22:30Z = 45 h = 162000 s.
        "H2": filed("H2", HIGH, "2026-03-06T20:30-05:00", "2026-03-08T18:30-04:00",
                    first_responded_at="2026-03-08T18:30-04:00"),
        # H3: answered an hour after its due (late, 7200 s), resolved the same day: within.
        "H3": filed("H3", HIGH, "2026-03-09T09:00-04:00", "2026-03-09T10:00-04:00",
                    breached_at="2026-03-09T10:00-04:00",
                    first_responded_at="2026-03-09T11:00-04:00", status=RESOLVED,
                    resolved_at="2026-03-09T17:00-04:00"),
        # H4: unanswered, due yesterday: late, and an open breach.
        "H4": filed("H4", HIGH, "2026-03-10T09:00-04:00", "2026-03-10T10:00-04:00",
                    breached_at="2026-03-10T10:00-04:00", status=NEW),
        # H5: unanswered, due at 12:30 today (after NOW): excluded.
        "H5": filed("H5", HIGH, "2026-03-11T11:30-04:00", "2026-03-11T12:30-04:00",
                    status=NEW),
        # Medium, 2 h of business time.
        # M0: Sat 28 Feb 23:30 EST, which is already 1 March in UTC: `--since 2026-03-01`
        # leaves it out. Resolved by its requester while the desk was closed, unanswered
        # and before its due: excluded; resolution took 0 business time: within.
        "M0": filed("M0", MEDIUM, "2026-03-01T04:30Z", "2026-03-02T01:00Z",
                    status=RESOLVED, resolved_at="2026-03-01T05:00Z"),
        # M1: filed Sunday 00:30 while closed; the clock starts at 18:00: answered at
        # 19:00, business 3600 s, wall 18 h 30 min = 66600 s. Resolved Fri 10:00: 112
        # business hours since Sun 18:00, less 20 h waiting on the customer = 92 h: within.
        "M1": filed("M1", MEDIUM, "2026-03-01T00:30-05:00", "2026-03-01T20:00-05:00",
                    first_responded_at="2026-03-01T19:00-05:00", status=RESOLVED,
                    resolved_at="2026-03-06T10:00-05:00", resolution_paused_seconds=72000,
                    resolution_due_at="2026-03-06T14:00-05:00"),
        # M2: answered an hour late (10800 s); escalated to Development and still open, so
        # it is an open breach and left out of the resolution norm.
        "M2": filed("M2", MEDIUM, "2026-03-02T12:00-05:00", "2026-03-02T14:00-05:00",
                    breached_at="2026-03-02T14:00-05:00",
                    first_responded_at="2026-03-02T15:00-05:00",
                    escalated_to_development_at="2026-03-03T09:00-05:00",
                    status=ESCALATED_TO_DEVELOPMENT),
        # M3: email, unanswered, resolved an hour before its due: excluded; within.
        "M3": filed("M3", MEDIUM, "2026-03-04T22:00-05:00", "2026-03-05T00:00-05:00",
                    intake_channel=BY_EMAIL, status=RESOLVED,
                    resolved_at="2026-03-04T23:00-05:00"),
        # Low, 4 h of business time.
        # L1: answered after 3 h (10800 s); resolved Mon 9 Mar 09:00 EDT: Mon 09:00 to Fri
        # 21:00 is 108 h, plus Sun 18:00 to Mon 09:00 is 15 h: 123 h > 96 h: late.
        "L1": filed("L1", LOW, "2026-03-02T09:00-05:00", "2026-03-02T13:00-05:00",
                    first_responded_at="2026-03-02T12:00-05:00", status=RESOLVED,
                    resolved_at="2026-03-09T09:00-04:00"),
        # L2: answered after 30 min (1800 s); open: 108 h + 66 h (Sun 18:00 to Wed 12:00)
        # = 174 h > 96 h: unresolved past the target.
        "L2": filed("L2", LOW, "2026-03-02T09:00-05:00", "2026-03-02T13:00-05:00",
                    first_responded_at="2026-03-02T09:30-05:00"),
        # L3: answered after 1 h (3600 s); waiting on the customer since Fri 09:00. Thu
        # 09:00 to NOW is 36 h + 66 h = 102 h, less the running pause (12 h + 66 h) = 24 h.
        "L3": filed("L3", LOW, "2026-03-05T09:00-05:00", "2026-03-05T13:00-05:00",
                    first_responded_at="2026-03-05T10:00-05:00", status=WAITING_ON_CUSTOMER,
                    resolution_paused_since="2026-03-06T09:00-05:00"),
        # Critical, 15 min of wall time, day and night.
        # C1: Saturday 03:00, desk closed: answered in 10 min (business 0 s, wall 600 s).
        "C1": filed("C1", CRITICAL, "2026-03-07T03:00-05:00", "2026-03-07T03:15-05:00",
                    first_responded_at="2026-03-07T03:10-05:00", status=RESOLVED,
                    resolved_at="2026-03-07T05:00-05:00"),
        # C2: answered 5 min late (1200 s); still open: an open breach.
        "C2": filed("C2", CRITICAL, "2026-03-10T14:00-04:00", "2026-03-10T14:15-04:00",
                    breached_at="2026-03-10T14:15-04:00",
                    first_responded_at="2026-03-10T14:20-04:00", status=WAITING_ON_CUSTOMER,
                    resolution_paused_since="2026-03-11T10:00-04:00"),
    }  # fmt: skip


def tally(**numbers: Any) -> dict[str, Any]:
    """A JSON tally with every field; keyword arguments name the numbers."""
    return {
        "filed": numbers["filed"],
        "first_response_on_time": numbers["on_time"],
        "first_response_late": numbers["late"],
        "first_response_excluded": numbers["excluded"],
        "attainment_pct": numbers["attainment"],
        "median_first_response_business_seconds": numbers["median_business"],
        "p90_first_response_business_seconds": numbers["p90_business"],
        "median_first_response_wall_seconds": numbers["median_wall"],
        "p90_first_response_wall_seconds": numbers["p90_wall"],
        "open_breaches": numbers["open_breaches"],
        "resolved_within_target": numbers["within"],
        "resolved_late": numbers["resolved_late"],
        "unresolved_past_target": numbers["past"],
        "resolution_excluded_escalated": numbers["escalated"],
        "resolution_attainment_pct": numbers["resolution"],
    }


# Percentiles interpolate between closest ranks: position = (n - 1) x p over sorted values.
EXPECTED_SINCE = {
    "since": SINCE,
    "generated_at": "2026-03-11T16:00:00Z",
    "timezone": "America/New_York",
    "priorities": [
        # Low: business = wall = [1800, 3600, 10800]; p90 at 1.8: 3600 + 0.8 x 7200 = 9360.
        {"priority": "low", **tally(
            filed=3, on_time=3, late=0, excluded=0, attainment=100.0,
            median_business=3600, p90_business=9360, median_wall=3600, p90_wall=9360,
            open_breaches=0, within=0, resolved_late=1, past=1, escalated=0, resolution=0.0)},
        # Medium: business [3600, 10800]: median 7200, p90 3600 + 0.9 x 7200 = 10080;
        # wall [10800, 66600]: median 38700, p90 10800 + 0.9 x 55800 = 61020.
        {"priority": "medium", **tally(
            filed=3, on_time=1, late=1, excluded=1, attainment=50.0,
            median_business=7200, p90_business=10080, median_wall=38700, p90_wall=61020,
            open_breaches=1, within=2, resolved_late=0, past=0, escalated=1,
            resolution=100.0)},
        # High: business [1800, 3600, 7200]: p90 3600 + 0.8 x 3600 = 6480;
        # wall [1800, 7200, 162000]: p90 7200 + 0.8 x 154800 = 131040.
        {"priority": "high", **tally(
            filed=5, on_time=2, late=2, excluded=1, attainment=50.0,
            median_business=3600, p90_business=6480, median_wall=7200, p90_wall=131040,
            open_breaches=1, within=2, resolved_late=0, past=0, escalated=0,
            resolution=100.0)},
        # Critical: business [0, 1200]: median 600, p90 1080; wall [600, 1200]: 900, 1140.
        {"priority": "critical", **tally(
            filed=2, on_time=1, late=1, excluded=0, attainment=50.0,
            median_business=600, p90_business=1080, median_wall=900, p90_wall=1140,
            open_breaches=1, within=1, resolved_late=0, past=0, escalated=0,
            resolution=100.0)},
    ],
    # All ten answers: business [0, 1200, 1800, 1800, 3600, 3600, 3600, 7200, 10800, 10800]
    # median (3600 + 3600) / 2, p90 at 8.1 between 10800 and 10800;
    # wall [600, 1200, 1800, 1800, 3600, 7200, 10800, 10800, 66600, 162000]
    # median (3600 + 7200) / 2 = 5400, p90 66600 + 0.1 x 95400 = 76140.
    # Attainment 7 / 11 = 63.6 %; resolution 5 / (5 + 1 + 1) = 71.4 %.
    "totals": tally(
        filed=13, on_time=7, late=4, excluded=2, attainment=63.6,
        median_business=3600, p90_business=10800, median_wall=5400, p90_wall=76140,
        open_breaches=3, within=5, resolved_late=1, past=1, escalated=1, resolution=71.4),
}  # fmt: skip
