"""Vendor incidents and their updates: rows in, `Incident` and `Tracked` values out.

Posting code re-reads a row under a lock (`SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL) and records what it posted before the lock goes, so two replicas never post
the same announcement or reply; SQLite has one process and no row locks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pendulum import DateTime
from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.status_tables import StatusIncidentRow, StatusIncidentUpdateRow
from bot.domain.incident_sync import Announcement, OwedReply, Reply, SyncStep, Tracked
from bot.domain.incidents import ENDED_STATUSES, Incident, IncidentUpdate
from bot.domain.instants import as_instant, optional_instant
from bot.domain.model import ConversationRef

Row = StatusIncidentRow
UpdateRow = StatusIncidentUpdateRow


class StatusRecords:
    """The desk's copy of the vendor's status history, bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def holds_any(self) -> bool:
        """Whether the desk has ever stored an incident."""
        return self._session.exec(select(col(Row.id)).limit(1)).first() is not None

    def tracked(self, feed_ids: Collection[str]) -> dict[str, Tracked]:
        """The stored incidents among these feed ids, by feed id."""
        rows = self._session.exec(select(Row).where(col(Row.feed_id).in_(list(feed_ids)))).all()
        return {row.feed_id: _tracked(row, incident) for row, incident in self._load(rows)}

    def apply(self, step: SyncStep) -> None:
        """Store the incident's fresh facts, its announcement state and its new updates."""
        incident = step.incident
        insert = insert_ignoring_duplicates(self._session, Row, unique=["feed_id"])
        self._session.exec(
            insert.values(
                feed_id=incident.id,
                announcement=step.announcement.value,
                attempts=0,
                **_facts(incident),
            )
        )
        facts = _facts(incident) | ({"needs_refresh": True} if step.refresh else {})
        self._set(incident.id, **facts)
        if step.announcement is Announcement.OWED:
            # Only a quiet incident becomes owed: never undo a post another replica just made.
            self._session.exec(
                update(Row)
                .where(col(Row.feed_id) == incident.id)
                .where(col(Row.announcement) == Announcement.QUIET.value)
                .values(announcement=Announcement.OWED.value)
            )
        row_id = self._row_id(incident.id)
        insert_update = insert_ignoring_duplicates(
            self._session, UpdateRow, unique=["incident_id", "feed_id"]
        )
        for item, reply in step.new_updates:
            self._session.exec(
                insert_update.values(
                    incident_id=row_id,
                    feed_id=item.id,
                    status=item.status,
                    body=item.body,
                    created_at=item.created_at,
                    reply=reply.value,
                    attempts=0,
                )
            )

    def owed_announcements(self, limit: int) -> list[str]:
        """Feed ids of incidents owed an announcement, oldest first."""
        statement = (
            select(col(Row.feed_id))
            .where(col(Row.announcement) == Announcement.OWED.value)
            .order_by(col(Row.created_at), col(Row.id))
            .limit(limit)
        )
        return list(self._session.exec(statement).all())

    def stale_announcements(self, limit: int) -> list[str]:
        """Feed ids of posted announcements that show an older state."""
        statement = (
            select(col(Row.feed_id))
            .where(col(Row.needs_refresh), col(Row.announcement) == Announcement.POSTED.value)
            .order_by(col(Row.created_at), col(Row.id))
            .limit(limit)
        )
        return list(self._session.exec(statement).all())

    def lock(self, feed_id: str) -> Tracked | None:
        """The incident under a row lock; None when it is unknown or another replica holds it."""
        statement = (
            select(Row)
            .where(col(Row.feed_id) == feed_id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        row = self._session.exec(statement).first()
        return None if row is None else _tracked(row, self._load([row])[0][1])

    def announced(self, feed_id: str, message: ConversationRef) -> None:
        """The announcement is posted: it shows the incident as it is now."""
        self._set(
            feed_id,
            announcement=Announcement.POSTED.value,
            needs_refresh=False,
            attempts=0,
            channel_id=message.channel_id,
            message_ts=message.ts,
        )

    def refreshed(self, feed_id: str) -> None:
        self._set(feed_id, needs_refresh=False, attempts=0)

    def announcement_failed(self, feed_id: str, *, attempts: int, give_up: bool) -> None:
        """Count a failed post or edit; giving up ends the announcement or stops the edits."""
        values: dict[str, object] = {"attempts": attempts}
        if give_up:
            row = self._session.exec(select(Row).where(col(Row.feed_id) == feed_id)).one()
            posted = row.announcement == Announcement.POSTED.value
            values |= (
                {"needs_refresh": False} if posted else {"announcement": Announcement.FAILED.value}
            )
        self._set(feed_id, **values)

    def owed_replies(self, limit: int) -> list[int]:
        """Ids of updates owed a thread reply under a posted announcement, oldest first."""
        statement = (
            select(col(UpdateRow.id))
            .join(Row, col(Row.id) == col(UpdateRow.incident_id))
            .where(
                col(UpdateRow.reply) == Reply.OWED.value,
                col(Row.announcement) == Announcement.POSTED.value,
            )
            .order_by(col(UpdateRow.created_at), col(UpdateRow.id))
            .limit(limit)
        )
        return [update_id for update_id in self._session.exec(statement).all() if update_id]

    def lock_reply(self, update_id: int) -> OwedReply | None:
        """An owed reply under its row lock; None when it is no longer owed or is held."""
        statement = (
            select(UpdateRow)
            .where(col(UpdateRow.id) == update_id, col(UpdateRow.reply) == Reply.OWED.value)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        row = self._session.exec(statement).first()
        parent = None if row is None else self._session.get(Row, row.incident_id)
        if row is None or parent is None or parent.message_ts is None:
            return None
        message = ConversationRef(parent.channel_id or "", parent.message_ts)
        incident = self._load([parent])[0][1]
        return OwedReply(incident, _update(row), message, attempts=row.attempts)

    def replied(self, update_id: int, ts: str) -> None:
        self._set_update(update_id, reply=Reply.POSTED.value, reply_ts=ts)

    def reply_failed(self, update_id: int, *, attempts: int, give_up: bool) -> None:
        values: dict[str, object] = {"attempts": attempts}
        if give_up:
            values["reply"] = Reply.FAILED.value
        self._set_update(update_id, **values)

    def history(self, since: DateTime | None = None) -> list[Incident]:
        """Every stored incident begun at or after `since`, newest first."""
        statement = select(Row).order_by(col(Row.created_at).desc(), col(Row.id).desc())
        if since is not None:
            statement = statement.where(col(Row.created_at) >= since)
        return [incident for _, incident in self._load(self._session.exec(statement).all())]

    def active(self) -> list[Incident]:
        """Incidents still going, oldest first."""
        statement = (
            select(Row)
            .where(
                col(Row.resolved_at).is_(None),
                col(Row.status).not_in([str(status) for status in ENDED_STATUSES]),
            )
            .order_by(col(Row.created_at), col(Row.id))
        )
        return [incident for _, incident in self._load(self._session.exec(statement).all())]

    def _load(self, rows: Sequence[Row]) -> list[tuple[Row, Incident]]:
        """The rows with their incidents, updates included (one query for all of them)."""
        ids = [row.id for row in rows]
        statement = (
            select(UpdateRow)
            .where(col(UpdateRow.incident_id).in_(ids))
            .order_by(col(UpdateRow.created_at), col(UpdateRow.id))
        )
        updates: dict[int, list[IncidentUpdate]] = {}
        for update_row in self._session.exec(statement).all() if ids else ():
            updates.setdefault(update_row.incident_id, []).append(_update(update_row))
        return [(row, _incident(row, updates.get(row.id or 0, []))) for row in rows]

    def _row_id(self, feed_id: str) -> int:
        return self._session.exec(select(col(Row.id)).where(col(Row.feed_id) == feed_id)).one() or 0

    def _set(self, feed_id: str, **values: object) -> None:
        self._session.exec(update(Row).where(col(Row.feed_id) == feed_id).values(**values))

    def _set_update(self, update_id: int, **values: object) -> None:
        self._session.exec(update(UpdateRow).where(col(UpdateRow.id) == update_id).values(**values))


def _facts(incident: Incident) -> dict[str, object]:
    return {
        "name": incident.name,
        "status": incident.status,
        "impact": incident.impact,
        "created_at": incident.created_at,
        "resolved_at": incident.resolved_at,
        "shortlink": incident.shortlink,
        "components": list(incident.components),
    }


def _incident(row: Row, updates: Sequence[IncidentUpdate]) -> Incident:
    return Incident(
        id=row.feed_id,
        name=row.name,
        status=row.status,
        impact=row.impact,
        created_at=as_instant(row.created_at),
        resolved_at=optional_instant(row.resolved_at),
        shortlink=row.shortlink,
        components=tuple(row.components),
        updates=tuple(updates),
    )


def _update(row: UpdateRow) -> IncidentUpdate:
    return IncidentUpdate(row.feed_id, row.status, row.body, as_instant(row.created_at))


def _tracked(row: Row, incident: Incident) -> Tracked:
    message = None
    if row.channel_id and row.message_ts:
        message = ConversationRef(row.channel_id, row.message_ts)
    return Tracked(
        incident=incident,
        announcement=Announcement(row.announcement),
        message=message,
        needs_refresh=row.needs_refresh,
        attempts=row.attempts,
    )
