"""Requests during a vendor outage: one page of on-call per incident, and news of its end.

While an incident is active, the first Critical request about it pages on-call as always;
later ones are added to the incident's one summary message in the on-call channel, which is
edited in place, and their roots do not mention the on-call group. Each keeps its own
conversation, clocks, pings and breach. When the incident resolves, every open request
linked to it is told once in its conversation, and the summary says so.

Every post re-reads its row under a lock and records the result before the lock goes, so
with several replicas each summary, edit and note is made by one of them. SQLite has no
row locks (and serves one process): there a lock in the process keeps the filing threads
and the status poller from posting the same summary twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pendulum import DateTime

from bot.db.engine import Database
from bot.db.uow import UnitOfWork
from bot.domain.incident_sync import Announcement, Reply, SyncStep, Tracked
from bot.domain.incidents import is_active
from bot.domain.model import Request
from bot.domain.outages import page_decision
from bot.services.batches import each_owed
from bot.services.desk import Desk
from bot.services.ports import DeliveryFailed
from bot.services.status_ports import OutageBoard

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 10  # of each kind per pass: a backlog drains over several polls, never in a burst
_POSTING = threading.Lock()  # one post at a time in this process (see above)


@dataclass
class OutageReport:
    """What one pass posted, edited, and failed to."""

    summaries: int = 0
    notes: int = 0
    failed: int = 0


def join_outage(uow: UnitOfWork, *, desk: Desk, request: Request, now: DateTime) -> None:
    """In the transaction that owes a Critical request its root: is it part of an outage?

    The first request of an outage claims its page (a unique row, so one of several
    replicas filing at once); the others join its summary and their roots stay quiet.
    """
    if desk.outages is None or not request.is_critical:
        return
    if uow.outages.membership(request.id) is not None:
        return  # its outage was decided when its first root was owed
    active = uow.status.active()
    decision = page_decision(request, active, uow.outages.pages([i.id for i in active]))
    if decision.incident is None:
        return
    feed_id = decision.incident.id
    if decision.mention:
        page = uow.outages.claim_page(feed_id, request.id, now=now)
        decision = page_decision(request, active, {feed_id: page})
    uow.outages.join(request.id, feed_id, paged=decision.mention, now=now)


def after_root(desk: Desk, request: Request) -> None:
    """Best effort once a root is posted: bring its outage's summary up to date."""
    _refresh_summary(desk, request, changed=False)


def after_first_response(desk: Desk, request: Request) -> None:
    """Best effort once a member is answered: its summary's oldest due may have moved."""
    _refresh_summary(desk, request, changed=True)


def _refresh_summary(desk: Desk, request: Request, *, changed: bool) -> None:
    if desk.outages is None or not request.is_critical:
        return
    with desk.db.unit_of_work() as uow:
        member = uow.outages.membership(request.id)
        if member is not None and changed:
            uow.outages.touch(member[0])
    if member is not None:
        show_summary(desk.db, desk.outages, member[0], OutageReport())


def incident_changed(uow: UnitOfWork, known: Tracked | None, step: SyncStep, now: DateTime) -> None:
    """In the poll's transaction: the summary shows the news; a resolution owes notes."""
    uow.outages.touch(step.incident.id)
    if known is not None and is_active(known.incident) and not is_active(step.incident):
        owed = uow.outages.owe_notes(step.incident.id, now=now)
        if owed:
            log.info("incident %s resolved: %s conversations to tell", step.incident.id, owed)


def settle_outages(db: Database, board: OutageBoard, *, batch: int = BATCH) -> OutageReport:
    """Post owed resolution notes, then post or edit owed summaries (a bounded batch each)."""
    report = OutageReport()
    each_owed(
        db,
        lambda uow: uow.outages.notes_owed(batch),
        lambda note_id: _tell(db, board, note_id, report),
    )
    each_owed(
        db,
        lambda uow: uow.outages.summaries_owed(batch),
        lambda feed_id: show_summary(db, board, feed_id, report),
    )
    return report


def show_summary(db: Database, board: OutageBoard, feed_id: str, report: OutageReport) -> None:
    """Post the outage's summary, or edit it to show what changed since it was shown."""
    with _POSTING, db.unit_of_work() as uow:
        shown = uow.outages.lock_summary(feed_id)
        if shown is None or not (shown.state is Announcement.OWED or shown.stale):
            return  # another replica holds it, or it is up to date
        try:
            if shown.message is None or shown.state is Announcement.OWED:
                message = board.post_summary(shown.summary)
            else:
                board.edit_summary(shown.summary, shown.message)
                message = shown.message
        except DeliveryFailed as failure:
            attempts = shown.attempts + 1
            give_up = failure.permanent or attempts >= MAX_ATTEMPTS
            uow.outages.summary_failed(
                feed_id, attempts=attempts, give_up=give_up, version=shown.version
            )
            _report_failure("show the summary of", feed_id, failure, give_up=give_up)
            report.failed += 1
            return
        uow.outages.summary_shown(feed_id, version=shown.version, message=message)
        report.summaries += 1


def _tell(db: Database, board: OutageBoard, note_id: int, report: OutageReport) -> None:
    with _POSTING, db.unit_of_work() as uow:
        owed = uow.outages.lock_note(note_id)
        if owed is None:
            return
        if not owed.request.is_open:
            uow.outages.note_done(note_id, state=Reply.QUIET)  # resolved meanwhile
            return
        failure: DeliveryFailed | None = None
        try:
            ts = board.tell_resolved(owed.request, owed.incident)
        except DeliveryFailed as error:
            ts, failure = None, error
        if ts is not None:
            uow.outages.note_done(note_id, state=Reply.POSTED, ts=ts)
            report.notes += 1
            return
        attempts = owed.attempts + 1
        give_up = (failure is not None and failure.permanent) or attempts >= MAX_ATTEMPTS
        uow.outages.note_failed(note_id, attempts=attempts, give_up=give_up)
        reason = failure or DeliveryFailed(f"{owed.request.key} has no conversation yet")
        _report_failure(f"tell {owed.request.key} about", owed.incident.id, reason, give_up=give_up)
        report.failed += 1


def _report_failure(what: str, feed_id: str, failure: DeliveryFailed, *, give_up: bool) -> None:
    report: Callable[..., None] = log.error if give_up else log.warning
    later = "gave up" if give_up else "will retry"
    report("could not %s vendor incident %s (%s): %s", what, feed_id, later, failure)
