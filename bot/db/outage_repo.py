"""Requests during vendor outages: pages, summaries and resolution notes, as domain values.

The unique feed id of `outage_summaries` lets one request per incident page on-call, and
the unique (incident, request) of `incident_notes` tells each conversation once. Posting
code re-reads its row under a lock (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and records
the result before the lock goes, like the status announcements.
"""

from __future__ import annotations

from collections.abc import Collection

from pendulum import DateTime
from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import SupportRequest
from bot.db.outage_tables import IncidentNoteRow, OutageMemberRow, OutageSummaryRow
from bot.db.requests_repo import OPEN_STATUSES, get_request, to_domain
from bot.db.status_repo import StatusRecords
from bot.domain.incident_sync import Announcement, Reply
from bot.domain.model import ConversationRef
from bot.domain.outages import (
    OutageMember,
    OutagePage,
    OutageSummary,
    OwedNote,
    ShownSummary,
)

Summary = OutageSummaryRow
Member = OutageMemberRow
Note = IncidentNoteRow


class OutageRecords:
    """The desk's outage pages, summaries and notes, bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._status = StatusRecords(session)

    # Pages and members

    def pages(self, feed_ids: Collection[str]) -> dict[str, OutagePage]:
        """The page of each of these incidents that has one, by feed id."""
        rows = self._session.exec(select(Summary).where(col(Summary.feed_id).in_(list(feed_ids))))
        return {row.feed_id: OutagePage(row.feed_id, row.paged_request_id) for row in rows.all()}

    def claim_page(self, feed_id: str, request_id: int, *, now: DateTime) -> OutagePage:
        """Make this request the incident's page unless one already is; the page that stands.

        Two replicas filing at once both insert: the unique feed id keeps the first.
        """
        insert = insert_ignoring_duplicates(self._session, Summary, unique=["feed_id"])
        self._session.exec(
            insert.values(
                feed_id=feed_id,
                paged_request_id=request_id,
                state=Announcement.OWED.value,
                version=1,
                shown_version=0,
                attempts=0,
                created_at=now,
            )
        )
        return self.pages([feed_id])[feed_id]

    def join(self, request_id: int, feed_id: str, *, paged: bool, now: DateTime) -> None:
        """Record the request as part of the outage (once: its first outage stays)."""
        insert = insert_ignoring_duplicates(self._session, Member, unique=["request_id"])
        self._session.exec(
            insert.values(request_id=request_id, feed_id=feed_id, paged=paged, joined_at=now)
        )
        self.touch(feed_id)

    def membership(self, request_id: int) -> tuple[str, bool] | None:
        """The outage a request is part of and whether it paged, if it is part of one."""
        row = self._session.get(Member, request_id)
        return None if row is None else (row.feed_id, row.paged)

    def touch(self, feed_id: str) -> None:
        """The summary has something new to show."""
        self._session.exec(
            update(Summary)
            .where(col(Summary.feed_id) == feed_id)
            .values(version=col(Summary.version) + 1)
        )

    # Summaries

    def summaries_owed(self, limit: int) -> list[str]:
        """Feed ids of summaries to post or to bring up to date, oldest first."""
        statement = (
            select(col(Summary.feed_id))
            .where(
                or_(
                    col(Summary.state) == Announcement.OWED.value,
                    (col(Summary.state) == Announcement.POSTED.value)
                    & (col(Summary.version) > col(Summary.shown_version)),
                )
            )
            .order_by(col(Summary.id))
            .limit(limit)
        )
        return list(self._session.exec(statement).all())

    def lock_summary(self, feed_id: str) -> ShownSummary | None:
        """The summary under its row lock; None when unknown or another replica holds it."""
        statement = (
            select(Summary)
            .where(col(Summary.feed_id) == feed_id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        row = self._session.exec(statement).first()
        incident = self._status.tracked([feed_id]).get(feed_id) if row else None
        if row is None or incident is None:
            return None
        members = self._session.exec(
            select(Member, SupportRequest)
            .join(SupportRequest, col(SupportRequest.id) == col(Member.request_id))
            .where(col(Member.feed_id) == feed_id)
            .order_by(col(SupportRequest.created_at), col(SupportRequest.id))
        ).all()
        summary = OutageSummary(
            incident.incident,
            tuple(OutageMember(to_domain(request), member.paged) for member, request in members),
        )
        message = None
        if row.channel_id and row.message_ts:
            message = ConversationRef(row.channel_id, row.message_ts)
        return ShownSummary(
            summary,
            Announcement(row.state),
            row.version,
            row.shown_version,
            message=message,
            attempts=row.attempts,
        )

    def summary_shown(self, feed_id: str, *, version: int, message: ConversationRef) -> None:
        """The message in Slack shows the summary as of `version`."""
        self._set(
            feed_id,
            state=Announcement.POSTED.value,
            shown_version=version,
            attempts=0,
            channel_id=message.channel_id,
            message_ts=message.ts,
        )

    def summary_failed(self, feed_id: str, *, attempts: int, give_up: bool, version: int) -> None:
        """Count a failed post or edit; giving up ends the post, or skips this version's edit."""
        values: dict[str, object] = {"attempts": attempts}
        if give_up:
            row = self._session.exec(select(Summary).where(col(Summary.feed_id) == feed_id)).one()
            if row.state == Announcement.POSTED.value:
                values |= {"shown_version": version, "attempts": 0}
            else:
                values["state"] = Announcement.FAILED.value
        self._set(feed_id, **values)

    def _set(self, feed_id: str, **values: object) -> None:
        self._session.exec(update(Summary).where(col(Summary.feed_id) == feed_id).values(**values))

    # Resolution notes

    def owe_notes(self, feed_id: str, *, now: DateTime) -> int:
        """Owe each open request linked to (or paging for) the incident one note; how many new."""
        members = select(col(Member.request_id)).where(col(Member.feed_id) == feed_id)
        linked = self._session.exec(
            select(col(SupportRequest.id))
            .where(
                or_(
                    col(SupportRequest.incident_id) == feed_id,
                    col(SupportRequest.id).in_(members),
                ),
                col(SupportRequest.status).in_(OPEN_STATUSES),
            )
            .order_by(col(SupportRequest.id))
        ).all()
        insert = insert_ignoring_duplicates(self._session, Note, unique=["feed_id", "request_id"])
        added = 0
        for request_id in linked:
            result = self._session.exec(
                insert.values(
                    feed_id=feed_id,
                    request_id=request_id,
                    state=Reply.OWED.value,
                    attempts=0,
                    created_at=now,
                )
            )
            added += max(0, result.rowcount)
        return added

    def notes_owed(self, limit: int) -> list[int]:
        """Ids of the notes still owed, oldest first."""
        statement = (
            select(col(Note.id))
            .where(col(Note.state) == Reply.OWED.value)
            .order_by(col(Note.id))
            .limit(limit)
        )
        return [note_id for note_id in self._session.exec(statement).all() if note_id]

    def lock_note(self, note_id: int) -> OwedNote | None:
        """An owed note under its row lock; None when no longer owed or held elsewhere."""
        statement = (
            select(Note)
            .where(col(Note.id) == note_id, col(Note.state) == Reply.OWED.value)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        row = self._session.exec(statement).first()
        request = None if row is None else get_request(self._session, row.request_id)
        tracked = None if row is None else self._status.tracked([row.feed_id]).get(row.feed_id)
        if row is None or request is None or tracked is None:
            return None
        return OwedNote(note_id, request, tracked.incident, attempts=row.attempts)

    def note_done(self, note_id: int, *, state: Reply, ts: str | None = None) -> None:
        """The note was posted (with its ts), or is not needed any more (quiet)."""
        self._set_note(note_id, state=state.value, reply_ts=ts)

    def note_failed(self, note_id: int, *, attempts: int, give_up: bool) -> None:
        values: dict[str, object] = {"attempts": attempts}
        if give_up:
            values["state"] = Reply.FAILED.value
        self._set_note(note_id, **values)

    def _set_note(self, note_id: int, **values: object) -> None:
        self._session.exec(update(Note).where(col(Note.id) == note_id).values(**values))
