"""What a person's App Home shows: their own requests, and for engineers the queue and SLA."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pendulum import DateTime
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot.db.models import SupportRequest
from bot.db.repositories import open_queue
from bot.db.requests_repo import CLOSED_STATUSES
from bot.domain.requests import RequestStatus
from bot.services.desk import Desk
from bot.services.queries import DeskHours, desk_hours
from bot.services.reporting import SlaReport, load_report

MY_OPEN_ROWS = 25
MY_RECENT_ROWS = 5
QUEUE_ROWS = 20
REPORT_DAYS = 30


@dataclass(frozen=True)
class MyRequests:
    """A requester's open requests (newest first, at most MY_OPEN_ROWS) and recent closed ones."""

    open: tuple[SupportRequest, ...]
    open_total: int
    recent: tuple[SupportRequest, ...]


@dataclass(frozen=True)
class TeamView:
    """What every support engineer sees: the head of the queue, its size and the SLA report."""

    queue: tuple[SupportRequest, ...]
    queue_total: int
    breached_total: int
    report: SlaReport


@dataclass(frozen=True)
class Home:
    """One person's App Home content at `now`; `team` is set for support engineers only."""

    user_id: str
    now: DateTime
    hours: DeskHours
    mine: MyRequests
    team: TeamView | None


def homes(desk: Desk, *, user_ids: Iterable[str]) -> list[Home]:
    """The Home of each user; the queue and report are read once for all the engineers."""
    now = desk.clock.now()
    hours = desk_hours(desk)
    team: TeamView | None = None
    result: list[Home] = []
    for user_id in dict.fromkeys(user_ids):
        engineer = desk.directory.is_support_engineer(user_id)
        if engineer and team is None:
            team = team_view(desk, now=now)
        mine = my_requests(desk, user_id=user_id)
        result.append(
            Home(user_id=user_id, now=now, hours=hours, mine=mine, team=team if engineer else None)
        )
    return result


def report_since(desk: Desk, *, now: DateTime) -> date:
    """The first local day the Home tab's SLA report covers (the last REPORT_DAYS days)."""
    return desk.policy.calendar.local(now).subtract(days=REPORT_DAYS).date()


def team_view(desk: Desk, *, now: DateTime) -> TeamView:
    """The head of the open queue (breached first, then by due), its counts and the report."""
    with desk.db.session() as session:
        queue = tuple(open_queue(session, team_id=None, limit=QUEUE_ROWS))
        total = _count_open(session)
        breached = _count_open(session, breached_only=True)
    since = report_since(desk, now=now)
    report = load_report(desk.db, calendar=desk.policy.calendar, now=now, since=since)
    return TeamView(queue=queue, queue_total=total, breached_total=breached, report=report)


def my_requests(desk: Desk, *, user_id: str) -> MyRequests:
    """A requester's open requests and the few most recently resolved."""
    # By user id alone: Slack user ids are unique across workspaces, and a Slack Connect
    # requester's team may differ from the team the Home event arrives with.
    mine = col(SupportRequest.requester_id) == user_id
    newest = (col(SupportRequest.created_at).desc(), col(SupportRequest.id).desc())
    is_open = col(SupportRequest.status).not_in(CLOSED_STATUSES)
    with desk.db.session() as session:
        opened = session.exec(
            select(SupportRequest).where(mine, is_open).order_by(*newest).limit(MY_OPEN_ROWS)
        ).all()
        total = session.exec(select(func.count()).where(mine, is_open)).one()
        resolved = session.exec(
            select(SupportRequest)
            .where(mine, col(SupportRequest.status) == RequestStatus.RESOLVED.value)
            .order_by(col(SupportRequest.resolved_at).desc(), col(SupportRequest.id).desc())
            .limit(MY_RECENT_ROWS)
        ).all()
    return MyRequests(open=tuple(opened), open_total=int(total), recent=tuple(resolved))


def _count_open(session: Session, *, breached_only: bool = False) -> int:
    statement = select(func.count()).where(col(SupportRequest.status).not_in(CLOSED_STATUSES))
    if breached_only:
        statement = statement.where(
            or_(
                col(SupportRequest.breached_at).is_not(None),
                col(SupportRequest.resolution_breached_at).is_not(None),
            )
        )
    return int(session.exec(statement).one())
