"""App Home reads on each backend: a person's requests, the queue and its counts, the Home.

The desk's hand-built history (tests/services/reporting_history.py) is all Ada's (U_ADA):
open, newest first, are H5, C2, H4, H2, L3, M2, L2; of those M2, H4 and C2 are breached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot.clock import Clock, ManualClock
from bot.db.engine import Database
from bot.db.home_repo import QueueCounts, home_reads
from bot.domain.calendar import BusinessCalendar
from bot.domain.model import Request
from bot.domain.requests import RequestStatus
from bot.domain.sla import SlaPolicy
from bot.services.home import MY_OPEN_ROWS, homes, my_requests, report_since, team_view
from bot.services.queries import desk_hours, queue, requester_list, requests_of
from bot.services.reporting import load_report
from tests.services.reporting_history import NOW, at, history, store

ADA = "U_ADA"
ENGINEER = "U_ENGINEER"
OPEN_NEWEST_FIRST = ["H5", "C2", "H4", "H2", "L3", "M2", "L2"]
# Unanswered first (breached on top) by first-response due: H4, H5. Then the answered ones
# by resolution due; none of them has one, so by id (their order in the history).
QUEUE_ORDER = ["H4", "H5", "H2", "M2", "L2", "L3", "C2"]
RECENTLY_RESOLVED = ["H3", "L1", "C1", "M1", "M3"]


class Engineers:
    """A directory that knows who the support engineers are."""

    def __init__(self, *user_ids: str) -> None:
        self.user_ids = set(user_ids)

    def is_support_engineer(self, user_id: str) -> bool:
        return user_id in self.user_ids

    def is_desk_member(self, user_id: str) -> bool:
        return user_id in self.user_ids

    def is_chat_admin(self, user_id: str) -> bool:
        return False


@dataclass(frozen=True)
class Reader:
    """The desk without Slack: what the Home and the queries read (a DeskReader)."""

    db: Database
    clock: Clock
    policy: SlaPolicy
    directory: Engineers


@pytest.fixture
def reader(database: Database) -> Reader:
    store(database, history().values())
    policy = SlaPolicy(BusinessCalendar.default())
    return Reader(database, ManualClock(NOW), policy, Engineers(ENGINEER))


def _names(requests: tuple[Request, ...] | list[Request]) -> list[str]:
    return [request.subject.split(":")[0] for request in requests]


def test_the_queue_counts_open_and_breached_requests(reader: Reader) -> None:
    with reader.db.unit_of_work() as uow:
        assert home_reads(uow).queue_counts() == QueueCounts(open=7, breached=3)


def test_a_breached_resolution_counts_as_breached(reader: Reader) -> None:
    l2 = history()["L2"].but(resolution_breached_at=at("2026-03-09T09:00-04:00"))
    store(reader.db, [l2, l2.but(status=RequestStatus.RESOLVED)])

    with reader.db.unit_of_work() as uow:
        assert home_reads(uow).queue_counts() == QueueCounts(open=8, breached=4)


def test_an_empty_queue_counts_zero(database: Database) -> None:
    with database.unit_of_work() as uow:
        assert home_reads(uow).queue_counts() == QueueCounts(open=0, breached=0)


def test_my_requests_are_domain_requests_newest_first(reader: Reader) -> None:
    mine = my_requests(reader, user_id=ADA)

    assert _names(mine.open) == OPEN_NEWEST_FIRST
    assert mine.open_total == 7
    assert _names(mine.recent) == RECENTLY_RESOLVED
    assert all(isinstance(request, Request) and request.id > 0 for request in mine.open)
    assert all(not request.is_open for request in mine.recent)


def test_my_requests_span_every_team_and_no_one_else(reader: Reader) -> None:
    elsewhere = history()["H5"].but(team_id="T_CONNECT", subject="X1: from a shared channel")
    store(reader.db, [elsewhere, elsewhere.but(requester_id="U_BOB", subject="B1: Bob's")])

    mine = my_requests(reader, user_id=ADA)

    assert _names(mine.open) == ["X1", *OPEN_NEWEST_FIRST]
    assert mine.open_total == 8
    assert my_requests(reader, user_id="U_NOBODY").open_total == 0


def test_only_the_first_open_rows_load_but_all_are_counted(reader: Reader) -> None:
    many = [history()["L2"].but(subject=f"N{i}: more") for i in range(MY_OPEN_ROWS)]
    store(reader.db, many)

    mine = my_requests(reader, user_id=ADA)

    assert len(mine.open) == MY_OPEN_ROWS
    assert mine.open_total == MY_OPEN_ROWS + 7


def test_the_team_view_has_the_queue_its_counts_and_the_report(reader: Reader) -> None:
    team = team_view(reader, now=NOW)

    assert _names(team.queue) == QUEUE_ORDER
    assert (team.queue_total, team.breached_total) == (7, 3)
    since = report_since(reader, now=NOW)
    assert since == date(2026, 2, 9)
    assert team.report == load_report(
        reader.db, calendar=reader.policy.calendar, now=NOW, since=since
    )
    assert team.report.totals.filed == 14


def test_homes_show_the_team_view_to_engineers_only(reader: Reader) -> None:
    ada, engineer = homes(reader, user_ids=[ADA, ENGINEER, ADA])

    assert (ada.user_id, engineer.user_id) == (ADA, ENGINEER)
    assert ada.team is None
    assert engineer.team is not None and engineer.team.queue_total == 7
    assert _names(ada.mine.open) == OPEN_NEWEST_FIRST
    assert engineer.mine.open_total == 0
    assert ada.now == engineer.now == NOW
    assert ada.hours == desk_hours(reader) and ada.hours.open_now


def test_homes_of_nobody_read_nothing(reader: Reader) -> None:
    assert homes(reader, user_ids=[]) == []


def test_queries_return_domain_requests(reader: Reader) -> None:
    store(reader.db, [history()["H5"].but(team_id="T_OTHER", subject="O1: other team")])

    mine = requests_of(reader, team_id="T0001", requester_id=ADA, open_only=True)
    everything = requests_of(reader, team_id="T0001", requester_id=ADA, open_only=False, limit=3)

    assert _names(mine) == OPEN_NEWEST_FIRST
    assert len(everything) == 3
    assert _names(queue(reader, team_id="T0001")) == QUEUE_ORDER
    assert _names(queue(reader, team_id=None, limit=2)) == QUEUE_ORDER[:2]
    assert "O1" in _names(queue(reader, team_id="T_OTHER"))


def test_the_queue_orders_answered_requests_by_resolution_due(database: Database) -> None:
    reader = Reader(database, ManualClock(NOW), SlaPolicy(BusinessCalendar.default()), Engineers())
    resolution_due = {"L2": "2026-03-12T10:00-04:00", "C2": "2026-03-11T15:00-04:00"}
    store(
        database,
        [
            history()[name].but(
                resolution_due_at=at(resolution_due[name]) if name in resolution_due else None
            )
            for name in ("H4", "H5", "H2", "L2", "C2")
        ],
    )

    assert _names(queue(reader, team_id=None)) == ["H4", "H5", "C2", "L2", "H2"]


def test_the_requester_list_has_open_ones_newest_first_and_five_resolved(reader: Reader) -> None:
    elsewhere = history()["H3"].but(team_id="T_OTHER", subject="X1: other team")
    store(reader.db, [elsewhere.but(resolved_at=at("2026-03-11T11:00-04:00"))])

    mine = requester_list(
        reader, team_id="T0001", requester_id=ADA, open_limit=100, resolved_limit=5
    )

    assert _names(mine.open) == OPEN_NEWEST_FIRST
    assert _names(mine.recently_resolved) == RECENTLY_RESOLVED
    assert all(request.is_open for request in mine.open)
    nobody = requester_list(
        reader, team_id="T0001", requester_id="U_NOBODY", open_limit=100, resolved_limit=5
    )
    assert nobody.open == nobody.recently_resolved == ()
