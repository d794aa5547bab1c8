"""The stored report facts say what `facts_of` says, at any instant the report is taken."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.model import Request
from bot.domain.report import FirstResponse, Resolution, facts_of
from bot.domain.report_facts import (
    RESOLUTION_TARGET_SECONDS,
    calendar_fingerprint,
    stored_facts,
)
from bot.domain.requests import RequestStatus
from bot.domain.sla import SlaPolicy
from tests.report_cases import REPORT_INSTANTS, closing_instant_case, random_history

CALENDAR = BusinessCalendar.default()
POLICY = SlaPolicy(CALENDAR)
TICK = timedelta(microseconds=1)


def _instants(request: Request) -> list[DateTime]:
    """The report instants, and each side of the instants where the request's class flips."""
    facts = stored_facts(request, calendar=CALENDAR)
    edges = [request.first_response_due_at, request.created_at]
    if facts.past_target_at is not None:
        edges.append(facts.past_target_at)
    return [
        *REPORT_INSTANTS,
        *(edge + shift for edge in edges for shift in (-TICK, 0 * TICK, TICK)),
    ]


@pytest.mark.parametrize(
    "request_", random_history(300, policy=POLICY), ids=lambda r: r.subject[:5]
)
def test_the_stored_facts_classify_as_facts_of_does(request_: Request) -> None:
    stored = stored_facts(request_, calendar=CALENDAR)
    for now in _instants(request_):
        facts = facts_of(request_, calendar=CALENDAR, now=now)
        business = None if facts.business is None else facts.business.total_seconds()
        wall = None if facts.wall is None else facts.wall.total_seconds()
        assert (stored.response_business_seconds, stored.response_wall_seconds) == (business, wall)
        if facts.resolution is Resolution.ESCALATED:
            continue
        runs = request_.status.is_open or request_.resolved_at is None
        if runs:
            past = stored.past_target_at is not None and now > stored.past_target_at
        else:
            assert stored.resolution_seconds is not None
            past = stored.resolution_seconds > RESOLUTION_TARGET_SECONDS
        over = facts.resolution in (Resolution.PAST_TARGET, Resolution.LATE)
        assert past == over, (request_.subject, now)


def test_a_target_that_runs_out_at_a_closing_holds_until_the_next_opening() -> None:
    request = closing_instant_case(POLICY)
    stored = stored_facts(request, calendar=CALENDAR)
    friday_close = CALENDAR.local(request.created_at).add(days=4).at(21)

    # Business time stops at Friday's close and starts again on Sunday at 18:00.
    assert stored.past_target_at is not None
    assert CALENDAR.local(stored.past_target_at).format("ddd HH:mm") == "Sun 18:00"
    for now, resolution in [
        (friday_close, Resolution.RUNNING),
        (friday_close.add(hours=30), Resolution.RUNNING),
        (stored.past_target_at, Resolution.RUNNING),
        (stored.past_target_at + TICK, Resolution.PAST_TARGET),
    ]:
        assert facts_of(request, calendar=CALENDAR, now=now).resolution is resolution


def test_a_running_pause_within_target_never_passes_it() -> None:
    request = closing_instant_case(POLICY).but(
        status=RequestStatus.WAITING_ON_CUSTOMER,
        resolution_paused_since=closing_instant_case(POLICY).created_at.add(hours=30),
    )
    stored = stored_facts(request, calendar=CALENDAR)

    assert stored.past_target_at is None
    later = request.created_at.add(years=1)
    assert facts_of(request, calendar=CALENDAR, now=later).resolution is Resolution.RUNNING


def test_an_unanswered_request_has_no_response_times() -> None:
    request = closing_instant_case(POLICY).but(first_responded_at=None)
    stored = stored_facts(request, calendar=CALENDAR)

    assert (stored.response_business_seconds, stored.response_wall_seconds) == (None, None)
    facts = facts_of(request, calendar=CALENDAR, now=REPORT_INSTANTS[-1])
    assert facts.first_response is FirstResponse.LATE


def test_the_fingerprint_names_hours_zone_and_holidays() -> None:
    default = calendar_fingerprint(CALENDAR)
    closed_day = BusinessCalendar(CALENDAR.timezone, CALENDAR.weekly, [date(2026, 3, 10)])

    assert default == calendar_fingerprint(BusinessCalendar.default())
    assert len(default) == 16
    assert calendar_fingerprint(closed_day) != default
    assert (
        calendar_fingerprint(BusinessCalendar.from_text("Europe/Paris", "Mon 09:00-Fri 17:00"))
        != default
    )
