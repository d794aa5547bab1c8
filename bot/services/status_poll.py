"""One poll of the vendor's status feed: read it, keep what is new, tell the channel.

A feed that cannot be trusted (see `FeedProblem`) changes nothing and posts nothing: the
desk keeps its last good state. Only the replica holding the lease polls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pendulum import DateTime

from bot.db.engine import Database
from bot.domain.incident_sync import sync_step
from bot.domain.incidents import Incident
from bot.domain.status_feed import merge_listings
from bot.services.outages import OutageReport, incident_changed, settle_outages
from bot.services.status_announce import BATCH, AnnounceReport, announce_owed
from bot.services.status_ports import (
    FeedFault,
    FeedProblem,
    OutageBoard,
    StatusAnnouncer,
    StatusFeed,
)


@dataclass(frozen=True)
class PollReport:
    """What one poll found and said: `outcome` is `ok` or `not_modified`."""

    outcome: str
    stored: int
    announced: AnnounceReport
    outages: OutageReport | None = None


def take_lease(db: Database, *, holder: str, now: float, until: float) -> bool:
    """Hold the poller's lease (real epoch seconds) if it is free or ours; whether we do."""
    with db.unit_of_work() as uow:
        return uow.status_lease.take(holder=holder, now=now, until=until)


def give_back_lease(db: Database, *, holder: str) -> None:
    """Release the lease so another replica polls at once."""
    with db.unit_of_work() as uow:
        uow.status_lease.give_back(holder=holder)


def poll_feed(
    db: Database,
    feed: StatusFeed,
    announcer: StatusAnnouncer,
    *,
    now: DateTime,
    batch: int = BATCH,
    board: OutageBoard | None = None,
) -> PollReport:
    """Fetch, store, announce, tell linked requests; raises FeedProblem (nothing stored)."""
    snapshot = feed.fetch()
    incidents = merge_listings(snapshot.recent, snapshot.unresolved)
    stored = record_incidents(db, incidents, now=now, listed=len(snapshot.recent))
    announced = announce_owed(db, announcer, batch=batch)
    outages = settle_outages(db, board, batch=batch) if board is not None else None
    outcome = "not_modified" if snapshot.unchanged else "ok"
    return PollReport(outcome=outcome, stored=stored, announced=announced, outages=outages)


def record_incidents(
    db: Database, incidents: Sequence[Incident], *, now: DateTime, listed: int | None = None
) -> int:
    """Keep what is new in these incidents; how many changed.

    `listed` is how many the recent listing held: none at all while the desk already
    holds history is a feed gone wrong, not a vendor without incidents.
    """
    with db.unit_of_work() as uow:
        first_look = not uow.status.holds_any()
        if (listed if listed is not None else len(incidents)) == 0 and not first_look:
            raise FeedProblem(FeedFault.EMPTY, "the feed suddenly lists no incidents")
        known = uow.status.tracked([incident.id for incident in incidents])
        changed = 0
        for fresh in incidents:
            step = sync_step(known.get(fresh.id), fresh, first_look=first_look, now=now)
            if step is not None:
                uow.status.apply(step)
                incident_changed(uow, known.get(fresh.id), step, now)
                changed += 1
        return changed
