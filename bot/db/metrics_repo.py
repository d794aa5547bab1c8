"""What /metrics reads at scrape time: open requests and open breaches per priority."""

from __future__ import annotations

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.db.requests_repo import OPEN_STATUSES
from bot.domain.requests import Priority


def open_counts(session: Session) -> dict[Priority, tuple[int, int]]:
    """(open, breached) per priority, in one grouped query over the open requests.

    The filter is `status IN (open statuses)`, which the status index answers: a scrape reads
    only the open rows, however many resolved ones the table holds. A request counts as
    breached when its first-response or its resolution target passed.
    """
    breached = or_(
        col(SupportRequest.breached_at).is_not(None),
        col(SupportRequest.resolution_breached_at).is_not(None),
    )
    statement = (
        select(
            col(SupportRequest.priority),
            func.count(),
            func.coalesce(func.sum(case((breached, 1), else_=0)), 0),
        )
        .where(col(SupportRequest.status).in_(OPEN_STATUSES))
        .group_by(col(SupportRequest.priority))
    )
    return {
        Priority(priority): (int(total), int(late))
        for priority, total, late in session.exec(statement).all()
    }


def count_open(db: Database) -> dict[Priority, tuple[int, int]]:
    """`open_counts` in a short read-only transaction of its own."""
    with db.session() as session:
        return open_counts(session)
