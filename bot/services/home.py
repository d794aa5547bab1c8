"""What a person's App Home shows: their own requests, and for engineers the queue and SLA."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from pendulum import DateTime

from bot.db.home_repo import HomeReads, home_reads
from bot.domain.model import Request
from bot.domain.report import SlaReport
from bot.services.queries import DeskHours, DeskReader, desk_hours
from bot.services.reporting import load_report
from bot.services.status_queries import VendorStatus, vendor_status

__all__ = [
    "MY_OPEN_ROWS",
    "MY_RECENT_ROWS",
    "QUEUE_ROWS",
    "REFRESH_ROWS",
    "REPORT_DAYS",
    "DeskReader",
    "Home",
    "MyRequests",
    "TeamView",
    "homes",
    "my_requests",
    "report_since",
    "team_view",
]

MY_OPEN_ROWS = 25
MY_RECENT_ROWS = 5
QUEUE_ROWS = 20
REPORT_DAYS = 30
# Stale report facts one Home build may work out; the scheduler keeps the rest current.
REFRESH_ROWS = 200


@dataclass(frozen=True)
class MyRequests:
    """A requester's open requests (newest first, at most MY_OPEN_ROWS) and recent closed ones."""

    open: tuple[Request, ...]
    open_total: int
    recent: tuple[Request, ...]


@dataclass(frozen=True)
class TeamView:
    """What every support engineer sees: the head of the queue, its size and the SLA report."""

    queue: tuple[Request, ...]
    queue_total: int
    breached_total: int
    report: SlaReport
    # The customer account of each queued request that has one (§11), by account id.
    accounts: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Home:
    """One person's App Home content at `now`; `team` is set for support engineers only."""

    user_id: str
    now: DateTime
    hours: DeskHours
    mine: MyRequests
    team: TeamView | None
    vendor: VendorStatus | None = None  # while STATUS_PAGE_URL is set


def homes(desk: DeskReader, *, user_ids: Iterable[str], vendor: bool = False) -> list[Home]:
    """The Home of each user (once each, in order); the team view is read once for all.

    `vendor`: show the vendor's incidents (STATUS_PAGE_URL is set), read once for all.
    """
    now = desk.clock.now()
    hours = desk_hours(desk, now=now)
    incidents = vendor_status(desk.db, now=now) if vendor else None
    people = list(dict.fromkeys(user_ids))
    engineers = {user_id for user_id in people if desk.directory.is_desk_member(user_id)}
    team = team_view(desk, now=now) if engineers else None
    with desk.db.unit_of_work() as uow:
        reads = home_reads(uow)
        mine = {user_id: _mine(reads, user_id) for user_id in people}
    return [
        Home(
            user_id=user_id,
            now=now,
            hours=hours,
            mine=mine[user_id],
            team=team if user_id in engineers else None,
            vendor=incidents,
        )
        for user_id in people
    ]


def report_since(desk: DeskReader, *, now: DateTime) -> date:
    """The first local day the Home tab's SLA report covers (the last REPORT_DAYS days)."""
    return desk.policy.calendar.local(now).subtract(days=REPORT_DAYS).date()


def team_view(desk: DeskReader, *, now: DateTime) -> TeamView:
    """The head of the open queue (in `requests_repo.open_queue` order), counts, the report.

    The report is summed by the database; at most REFRESH_ROWS stale report facts are
    brought up to date first (the scheduler keeps the rest current). On PostgreSQL it is
    summed on other connections while the queue is read.
    """
    since = report_since(desk, now=now)

    def report() -> SlaReport:
        calendar = desk.policy.calendar
        return load_report(
            desk.db, calendar=calendar, now=now, since=since, refresh_limit=REFRESH_ROWS
        )

    if desk.db.dialect != "postgresql":
        return _team(desk, report)
    with ThreadPoolExecutor(max_workers=1) as pool:
        summed = pool.submit(report)
        return _team(desk, summed.result)


def _team(desk: DeskReader, report: Callable[[], SlaReport]) -> TeamView:
    """The queue's head and counts, then the report `report` gives."""
    with desk.db.unit_of_work() as uow:
        reads = home_reads(uow)
        queue = tuple(reads.queue_head(limit=QUEUE_ROWS))
        counts = reads.queue_counts()
        accounts = uow.accounts.names({r.account_id for r in queue if r.account_id is not None})
    return TeamView(
        queue=queue,
        queue_total=counts.open,
        breached_total=counts.breached,
        report=report(),
        accounts=accounts,
    )


def my_requests(desk: DeskReader, *, user_id: str) -> MyRequests:
    """A requester's open requests and the few most recently resolved."""
    with desk.db.unit_of_work() as uow:
        return _mine(home_reads(uow), user_id)


def _mine(reads: HomeReads, user_id: str) -> MyRequests:
    # By user id alone: Slack user ids are unique across workspaces, and a Slack Connect
    # requester's team may differ from the team the Home event arrives with.
    return MyRequests(
        open=tuple(reads.open_of(user_id, limit=MY_OPEN_ROWS)),
        open_total=reads.count_open_of(user_id),
        recent=tuple(reads.resolved_of(user_id, limit=MY_RECENT_ROWS)),
    )
