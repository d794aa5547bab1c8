"""Tell the support channel what the vendor's incidents owe it: announcements, replies, edits.

Each post re-reads its row under a lock and records the result before the lock goes, so
with several replicas each announcement and each reply is posted once. A Slack failure
leaves it owed for the next poll; after `MAX_ATTEMPTS` it is given up and reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.db.engine import Database
from bot.domain.incident_sync import Announcement
from bot.services.batches import each_owed
from bot.services.ports import DeliveryFailed
from bot.services.status_ports import StatusAnnouncer

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 10  # of each kind per poll: a backlog drains over several polls, never in a burst


@dataclass
class AnnounceReport:
    """What one pass posted, edited, and failed to."""

    announced: int = 0
    replied: int = 0
    refreshed: int = 0
    failed: int = 0


def announce_owed(
    db: Database, announcer: StatusAnnouncer, *, batch: int = BATCH
) -> AnnounceReport:
    """Post owed announcements, then owed thread replies, then edit stale announcements."""
    report = AnnounceReport()
    each_owed(
        db,
        lambda uow: uow.status.owed_announcements(batch),
        lambda feed_id: _announce(db, announcer, feed_id, report),
    )
    each_owed(
        db,
        lambda uow: uow.status.owed_replies(batch),
        lambda update_id: _reply(db, announcer, update_id, report),
    )
    each_owed(
        db,
        lambda uow: uow.status.stale_announcements(batch),
        lambda feed_id: _refresh(db, announcer, feed_id, report),
    )
    return report


def _announce(
    db: Database, announcer: StatusAnnouncer, feed_id: str, report: AnnounceReport
) -> None:
    with db.unit_of_work() as uow:
        tracked = uow.status.lock(feed_id)
        if tracked is None or tracked.announcement is not Announcement.OWED:
            return  # another replica has it, or has posted it
        try:
            message = announcer.announce(tracked.incident)
        except DeliveryFailed as failure:
            attempts = tracked.attempts + 1
            give_up = _failed("announce", tracked.incident.id, failure, attempts, report)
            uow.status.announcement_failed(feed_id, attempts=attempts, give_up=give_up)
            return
        uow.status.announced(feed_id, message)
        report.announced += 1


def _reply(
    db: Database, announcer: StatusAnnouncer, update_id: int, report: AnnounceReport
) -> None:
    with db.unit_of_work() as uow:
        owed = uow.status.lock_reply(update_id)
        if owed is None:
            return
        try:
            ts = announcer.reply(owed.incident, owed.update, owed.message)
        except DeliveryFailed as failure:
            attempts = owed.attempts + 1
            give_up = _failed("reply to", owed.incident.id, failure, attempts, report)
            uow.status.reply_failed(update_id, attempts=attempts, give_up=give_up)
            return
        uow.status.replied(update_id, ts)
        report.replied += 1


def _refresh(
    db: Database, announcer: StatusAnnouncer, feed_id: str, report: AnnounceReport
) -> None:
    with db.unit_of_work() as uow:
        tracked = uow.status.lock(feed_id)
        if tracked is None or not tracked.needs_refresh or tracked.message is None:
            return
        try:
            announcer.refresh(tracked.incident, tracked.message)
        except DeliveryFailed as failure:
            attempts = tracked.attempts + 1
            what = "update the announcement of"
            give_up = _failed(what, tracked.incident.id, failure, attempts, report)
            uow.status.announcement_failed(feed_id, attempts=attempts, give_up=give_up)
            return
        uow.status.refreshed(feed_id)
        report.refreshed += 1


def _failed(
    what: str, feed_id: str, failure: DeliveryFailed, attempts: int, report: AnnounceReport
) -> bool:
    """Count and log a failed post; whether to give it up (refused for good, or too often)."""
    report.failed += 1
    give_up = failure.permanent or attempts >= MAX_ATTEMPTS
    if give_up:
        log.error("gave up trying to %s vendor incident %s: %s", what, feed_id, failure)
    else:
        log.warning("could not %s vendor incident %s (will retry): %s", what, feed_id, failure)
    return give_up
