"""The status poller's lease: one replica at a time polls the vendor's feed.

Times are real epoch seconds, like the channel pacing: a lease guards real HTTP calls,
whatever the desk's clock does.
"""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlmodel import Session, col

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.status_tables import StatusPollerRow

FEED_LEASE = "status_feed"


class StatusLease:
    """Take, keep and give back the poller's lease, bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def take(self, *, holder: str, now: float, until: float) -> bool:
        """Hold the lease until `until` if it is free, expired or already ours; whether we do."""
        self._session.exec(
            insert_ignoring_duplicates(self._session, StatusPollerRow, unique=["name"]).values(
                name=FEED_LEASE, holder=None, lease_until=0.0
            )
        )
        statement = (
            update(StatusPollerRow)
            .where(col(StatusPollerRow.name) == FEED_LEASE)
            .where(
                or_(
                    col(StatusPollerRow.holder) == holder,
                    col(StatusPollerRow.holder).is_(None),
                    col(StatusPollerRow.lease_until) <= now,
                )
            )
            .values(holder=holder, lease_until=until)
        )
        return self._session.exec(statement).rowcount == 1

    def give_back(self, *, holder: str) -> None:
        """Let another replica take over at once (a clean stop)."""
        self._session.exec(
            update(StatusPollerRow)
            .where(col(StatusPollerRow.name) == FEED_LEASE, col(StatusPollerRow.holder) == holder)
            .values(holder=None, lease_until=0.0)
        )
