"""The report summed by the database equals the report tallied in Python, on each backend.

`build_report` (bot.domain.report) over the requests themselves is the reference: the
summed report must give the same numbers for any instant, window and account, and stay
equal when requests change or the calendar does (their stored facts go stale and are
worked out again).
"""

from __future__ import annotations

from datetime import date

import pytest
from pendulum import DateTime

from bot.db.engine import Database
from bot.domain.calendar import BusinessCalendar
from bot.domain.model import Request
from bot.domain.report import SlaReport, build_report, since_instant
from bot.domain.requests import RequestStatus
from bot.domain.sla import SlaPolicy
from bot.services.housekeeping import keep_report_current
from bot.services.reporting import load_report, refresh_report_facts
from tests.report_cases import REPORT_INSTANTS, closing_instant_case, random_history
from tests.services.reporting_history import store
from tests.services.timer_world import TimerWorld

CALENDAR = BusinessCalendar.default()
POLICY = SlaPolicy(CALENDAR)
HOLIDAYS = BusinessCalendar(CALENDAR.timezone, CALENDAR.weekly, [date(2026, 3, 10)])


def _tallied(
    requests: list[Request],
    *,
    now: DateTime,
    calendar: BusinessCalendar = CALENDAR,
    since: date | None = None,
    until: DateTime | None = None,
    account_id: int | None = None,
) -> SlaReport:
    """The reference: the requests in scope, classified and tallied in Python."""
    start = None if since is None else since_instant(since, calendar)
    kept = [
        request
        for request in requests
        if (start is None or request.created_at >= start)
        and (until is None or request.created_at <= until)
        and (account_id is None or request.account_id == account_id)
    ]
    return build_report(kept, calendar=calendar, now=now, since=since)


def _stored(db: Database, requests: list[Request]) -> list[Request]:
    with db.unit_of_work() as uow:
        return [found for request in requests if (found := uow.requests.get(request.id))]


def _changed(request: Request, n: int) -> Request:
    """A first response, a resolution or a pause: each moves the request's stored facts."""
    at = request.created_at.add(hours=n)
    if request.first_responded_at is None:
        return request.but(first_responded_at=at)
    if request.resolved_at is None:
        return request.but(status=RequestStatus.RESOLVED, resolved_at=at.add(days=3))
    return request.but(resolution_paused_since=at, resolution_paused_seconds=n * 977)


@pytest.fixture
def history(database: Database) -> list[Request]:
    return store(database, [*random_history(240, policy=POLICY), closing_instant_case(POLICY)])


@pytest.mark.parametrize("now", REPORT_INSTANTS, ids=lambda now: now.to_date_string())
def test_the_summed_report_is_the_tallied_one(
    database: Database, history: list[Request], now: DateTime
) -> None:
    for since in (None, date(2026, 3, 1)):
        summed = load_report(database, calendar=CALENDAR, now=now, since=since)
        assert summed == _tallied(history, now=now, since=since)
    # `report --at`: as of an instant, leaving out later requests.
    as_of = load_report(database, calendar=CALENDAR, now=now, until=now)
    assert as_of == _tallied(history, now=now, until=now)


def test_an_account_report_counts_only_its_requests(
    database: Database, history: list[Request]
) -> None:
    now = REPORT_INSTANTS[-1]

    report = load_report(database, calendar=CALENDAR, now=now, account_id=7)

    assert report == _tallied(history, now=now, account_id=7)
    everything = load_report(database, calendar=CALENDAR, now=now)
    assert 0 < report.totals.filed < everything.totals.filed
    nobody = load_report(database, calendar=CALENDAR, now=now, account_id=999)
    assert nobody.totals.filed == 0 and nobody.totals.median_first_response_wall_seconds is None


def test_changed_requests_are_worked_out_again(database: Database, history: list[Request]) -> None:
    now = REPORT_INSTANTS[-1]
    load_report(database, calendar=CALENDAR, now=now)  # every request's facts now stored
    changed = [_changed(request, n) for n, request in enumerate(_stored(database, history)[:60])]
    with database.unit_of_work() as uow:
        for request in changed:
            uow.requests.save(request)

    summed = load_report(database, calendar=CALENDAR, now=now)

    assert summed == _tallied(_stored(database, history), now=now)


def test_a_new_calendar_works_every_request_out_again(
    database: Database, history: list[Request]
) -> None:
    now = REPORT_INSTANTS[1]
    load_report(database, calendar=CALENDAR, now=now)

    with_holiday = load_report(database, calendar=HOLIDAYS, now=now)

    assert with_holiday == _tallied(history, now=now, calendar=HOLIDAYS)
    assert with_holiday != _tallied(history, now=now)
    assert load_report(database, calendar=CALENDAR, now=now) == _tallied(history, now=now)


def test_the_refresh_is_bounded_and_leaves_nothing_stale(
    database: Database, history: list[Request]
) -> None:
    assert refresh_report_facts(database, calendar=CALENDAR, limit=30) == 30
    assert refresh_report_facts(database, calendar=CALENDAR) == len(history) - 30
    assert refresh_report_facts(database, calendar=CALENDAR) == 0
    # Another calendar: every request is stale again, and worked out once.
    assert refresh_report_facts(database, calendar=HOLIDAYS, limit=1000) == len(history)
    assert refresh_report_facts(database, calendar=HOLIDAYS) == 0


def test_the_scheduler_keeps_the_facts_of_the_desk_s_changes_current(
    desk_world: TimerWorld,
) -> None:
    world = desk_world
    filed = [world.file(priority) for priority in ("high", "low", "critical", "medium")]
    assert keep_report_current(world.desk, batch=3) == 3
    assert keep_report_current(world.desk) == 1
    assert keep_report_current(world.desk) == 0

    high, low, critical, _ = filed
    world.clock.set(world.clock.now().add(minutes=40))
    world.respond(high)
    world.respond(low)
    world.wait_on_customer(low)
    world.resolve(critical)
    world.clock.set(world.clock.now().add(hours=30))
    world.customer_replied(low)

    # Each change of a first response, a resolution or a pause made those facts stale.
    assert keep_report_current(world.desk) == 3
    now = world.clock.now().add(days=9)
    everything = [world.reload(request) for request in filed]
    report = load_report(world.desk.db, calendar=world.policy.calendar, now=now)
    assert report == build_report(everything, calendar=world.policy.calendar, now=now)
    assert report.totals.unresolved_past_target == 3  # high, low and medium, 9 days on
