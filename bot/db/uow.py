"""The unit of work the services use: one transaction, with its repositories bound to it.

Services never see a session: `with desk.db.unit_of_work() as uow:` gives them
`uow.requests`, `uow.timers`, `uow.events` and `uow.keys`, and commits when the block ends.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any

from pendulum import DateTime
from sqlmodel import Session

from bot.db import events_repo, idempotency_repo, requests_repo, timers_repo
from bot.db.accounts_repo import AccountRecords
from bot.db.models import Timer, TimerState
from bot.db.outage_repo import OutageRecords
from bot.db.shared_repo import SharedChannelRecords
from bot.db.status_lease_repo import StatusLease
from bot.db.status_repo import StatusRecords
from bot.domain.model import ConversationRef, Request
from bot.domain.timer_kinds import DueTimer, TimerKind


def due_timer(row: Timer) -> DueTimer:
    """The domain view of a timer row."""
    return DueTimer(
        id=row.id or 0,
        kind=TimerKind(row.kind),
        fire_at=row.fire_at,  # type: ignore[arg-type]  # UTCDateTime loads pendulum instants
        request_version=row.request_version,
        fraction=row.fraction,
        attempts=row.attempts,
    )


class Requests:
    """Support requests as domain values."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, request: Request) -> Request:
        return requests_repo.add_request(self._session, request)

    def get(self, request_id: int) -> Request | None:
        return requests_repo.get_request(self._session, request_id)

    def lock(self, request_id: int) -> Request | None:
        return requests_repo.lock_request(self._session, request_id)

    def save(self, request: Request) -> None:
        requests_repo.save_request(self._session, request)

    def by_conversation(self, channel_id: str, thread_ts: str) -> Request | None:
        return requests_repo.get_by_conversation(self._session, channel_id, thread_ts)

    def by_customer_thread(self, channel_id: str, thread_ts: str) -> Request | None:
        return requests_repo.get_by_customer_thread(self._session, channel_id, thread_ts)

    def record_thread(self, request_id: int, ref: ConversationRef, at: DateTime) -> None:
        requests_repo.record_thread(self._session, request_id=request_id, ref=ref, at=at)

    def threads(self, request_id: int) -> list[ConversationRef]:
        return requests_repo.threads_of(self._session, request_id)

    def project_assignee(self, *, team_id: str, project: str) -> str | None:
        return requests_repo.project_assignee(self._session, team_id=team_id, project=project)

    def of_requester(
        self, *, team_id: str, requester_id: str, open_only: bool, limit: int
    ) -> list[Request]:
        return requests_repo.requests_of_requester(
            self._session,
            team_id=team_id,
            requester_id=requester_id,
            open_only=open_only,
            limit=limit,
        )

    def open_of_account(self, account_id: int, *, limit: int) -> list[Request]:
        return requests_repo.open_of_account(self._session, account_id=account_id, limit=limit)

    def open_queue(self, *, team_id: str | None, limit: int) -> list[Request]:
        return requests_repo.open_queue(self._session, team_id=team_id, limit=limit)


class Timers:
    """A request's durable timers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def schedule(
        self,
        *,
        request_id: int,
        kind: TimerKind,
        at: DateTime,
        version: int,
        now: DateTime,
        fraction: float | None = None,
    ) -> None:
        timers_repo.schedule_timer(
            self._session,
            request_id=request_id,
            kind=kind,
            fire_at=at,
            request_version=version,
            fraction=fraction,
            now=now,
        )

    def cancel(self, *, request_id: int, kinds: Collection[TimerKind]) -> int:
        return timers_repo.cancel_timers(self._session, request_id=request_id, kinds=kinds)

    def claim_due(
        self, *, now: DateTime, limit: int, lease: timedelta, worker_id: str
    ) -> list[tuple[int, DueTimer]]:
        """Due timers leased to `worker_id`, each with its request id."""
        rows = timers_repo.claim_due_timers(
            self._session, now=now, limit=limit, lease=lease, worker_id=worker_id
        )
        return [(row.request_id, due_timer(row)) for row in rows]

    def take(
        self, *, request_id: int, kind: TimerKind, worker_id: str, now: DateTime, lease: timedelta
    ) -> DueTimer | None:
        row = timers_repo.take_timer(
            self._session,
            request_id=request_id,
            kind=kind,
            worker_id=worker_id,
            now=now,
            lease=lease,
        )
        return None if row is None else due_timer(row)

    def pending(self, request_id: int) -> list[DueTimer]:
        return [
            due_timer(t) for t in timers_repo.pending_timers(self._session, request_id=request_id)
        ]

    def finish(
        self,
        ids: Iterable[int],
        *,
        worker_id: str,
        state: TimerState,
        now: DateTime,
        error: str | None = None,
    ) -> int:
        return timers_repo.finish_timers(
            self._session, ids=list(ids), worker_id=worker_id, state=state, now=now, error=error
        )

    def release(
        self, timer_id: int, *, retry_at: DateTime, worker_id: str, error: str | None = None
    ) -> bool:
        return timers_repo.release_timer(
            self._session, timer_id=timer_id, retry_at=retry_at, worker_id=worker_id, error=error
        )

    def defer(self, ids: Collection[int], *, worker_id: str, until: DateTime) -> int:
        return timers_repo.defer_timers(self._session, ids=ids, worker_id=worker_id, until=until)

    def renew(self, ids: Collection[int], *, worker_id: str, until: DateTime) -> set[int]:
        return timers_repo.renew_claims(self._session, ids=ids, worker_id=worker_id, until=until)


class Events:
    """The append-only log of what happened to requests."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        request_id: int | None,
        kind: str,
        *,
        at: DateTime,
        actor_id: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        events_repo.append_event(
            self._session, request_id=request_id, at=at, kind=kind, actor_id=actor_id, data=data
        )

    def data_of(self, request_id: int, kinds: Collection[str]) -> list[tuple[str, dict[str, Any]]]:
        """The kind and data of a request's events of these kinds, oldest first."""
        return [
            (event.kind, dict(event.data))
            for event in events_repo.events_of(self._session, request_id)
            if event.kind in kinds
        ]


class DeliveryKeys:
    """Slack deliveries already handled (idempotency keys)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, key: str, *, scope: str, now: DateTime) -> bool:
        return idempotency_repo.claim_key(self._session, key=key, scope=scope, now=now)

    def attach(self, key: str, request_id: int) -> None:
        idempotency_repo.attach_request(self._session, key=key, request_id=request_id)

    def request_of(self, key: str) -> int | None:
        return idempotency_repo.key_request_id(self._session, key)

    def forget_before(self, before: DateTime, *, limit: int) -> int:
        return idempotency_repo.forget_keys_before(self._session, before=before, limit=limit)


class UnitOfWork:
    """One transaction and the repositories bound to it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.requests = Requests(session)
        self.timers = Timers(session)
        self.events = Events(session)
        self.keys = DeliveryKeys(session)
        self.accounts = AccountRecords(session)
        self.status = StatusRecords(session)
        self.status_lease = StatusLease(session)
        self.outages = OutageRecords(session)
        self.shared = SharedChannelRecords(session)


__all__ = ["TimerState", "UnitOfWork"]
