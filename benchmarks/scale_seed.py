"""Seeds `support_requests` and `timers` with COPY for benchmarks/scale_bench.py.

One open request to ten resolved ones, drawn from a fixed random seed: resolved ones filed
over the two years before NOW, open ones over the last 60 days (new, in progress, waiting on
the customer, escalated to Development), with their stored report facts worked out as the
scheduler would, and two pending timers in the future for each open request.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
from sqlalchemy import text

from bot.db.engine import Database
from bot.db.report_facts_repo import FactsInputs
from bot.domain.report_facts import calendar_fingerprint, stored_facts
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import SlaPolicy
from bot.domain.sla_terms import SlaTerms
from bot.domain.timer_kinds import TimerKind

# A Wednesday, 15:00 in New York: the desk is open.
NOW = pendulum.datetime(2026, 11, 18, 20, 0, tz="UTC")
WALL_NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)  # NOW for plain datetime arithmetic
RESOLVED_SPAN = timedelta(days=730)
OPEN_SPAN = timedelta(days=60)
PRIORITIES = (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL)
WEIGHTS = (30, 40, 25, 5)
ACCOUNTS = 200
REQUESTERS = 5_000
COLUMNS = [
    "id",
    "team_id",
    "requester_id",
    "requester_name",
    "subject",
    "description",
    "priority",
    "intake_channel",
    "area",
    "contact",
    "kind",
    "status",
    "assignee_id",
    "slack_channel_id",
    "thread_ts",
    "conversation_pending",
    "account_id",
    "created_at",
    "updated_at",
    "first_response_due_at",
    "first_responded_at",
    "first_responder_id",
    "breached_at",
    "resolution_due_at",
    "resolution_paused_since",
    "resolution_paused_seconds",
    "resolution_breached_at",
    "escalated_to_development_at",
    "last_engineer_reply_at",
    "resolved_at",
    "version",
    "sla_terms",
    "report_calendar",
    "report_basis_responded_at",
    "report_basis_resolved_at",
    "report_basis_paused_since",
    "report_basis_paused_seconds",
    "report_response_business_seconds",
    "report_response_wall_seconds",
    "report_resolution_seconds",
    "report_past_target_at",
]
TIMER_COLUMNS = [
    "request_id",
    "kind",
    "fire_at",
    "state",
    "request_version",
    "attempts",
    "created_at",
]
TERMS = json.dumps(SlaTerms().to_json())


class Seeder:
    """Grows the tables to a total, keeping one open request to ten resolved ones."""

    def __init__(self, db: Database, policy: SlaPolicy, seed: int = 12) -> None:
        self.db = db
        self.policy = policy
        self.fingerprint = calendar_fingerprint(policy.calendar)
        self.rng = random.Random(seed)
        self.open = 0
        self.resolved = 0

    def grow_to(self, total: int) -> float:
        """Add requests until there are `total`; seconds taken (VACUUM ANALYZE included)."""
        started = time.perf_counter()
        want_open = total // 11
        new_open, new_resolved = want_open - self.open, total - want_open - self.resolved
        first = self.open + self.resolved + 1
        # Filing instants drawn first and sorted, so ids grow with them as in a real desk.
        filings = [(self._filed(OPEN_SPAN), True) for _ in range(new_open)]
        filings += [(self._filed(RESOLVED_SPAN), False) for _ in range(new_resolved)]
        filings.sort()
        raw = self.db.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY support_requests ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                timers = []
                for offset, (created, is_open) in enumerate(filings):
                    row = self._request(first + offset, created, is_open=is_open)
                    copy.write_row(row)
                    if is_open:
                        timers += self._timers(first + offset)
            with cursor.copy(f"COPY timers ({', '.join(TIMER_COLUMNS)}) FROM STDIN") as copy:
                for timer in timers:
                    copy.write_row(timer)
            raw.commit()
        finally:
            raw.close()
        self.open, self.resolved = want_open, total - want_open
        self._settle(total)
        return time.perf_counter() - started

    def churn(self, every: int = 10) -> int:
        """Touch one open request in `every` after the VACUUM, as a working day would: their
        pages are no longer all-visible, so index-only scans go to the table for them."""
        with self.db.engine.begin() as connection:
            touched = connection.execute(
                text(
                    "UPDATE support_requests SET updated_at = updated_at"
                    " WHERE status <> 'resolved' AND id % :every = 0"
                ),
                {"every": every},
            )
        return int(touched.rowcount)

    def _settle(self, total: int) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('support_requests', 'id'), :n)"),
                {"n": total},
            )
        with self.db.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("VACUUM ANALYZE support_requests")
            autocommit.exec_driver_sql("VACUUM ANALYZE timers")

    def _filed(self, span: timedelta) -> datetime:
        return NOW - timedelta(seconds=self.rng.uniform(600, span.total_seconds()))

    def _request(self, request_id: int, created: datetime, *, is_open: bool) -> tuple[Any, ...]:
        rng = self.rng
        priority = rng.choices(PRIORITIES, WEIGHTS)[0]
        due = self.policy.first_response_due(priority, created)
        clock = _Clock(created=created, due=due, is_open=is_open)
        clock.answer(rng, answered=rng.random() < (0.85 if is_open else 0.97))
        clock.settle(rng, self.policy)
        values = {
            "id": request_id,
            "team_id": "T0001",
            "requester_id": f"U{rng.randrange(REQUESTERS):05d}",
            "requester_name": "Bench Requester",
            "subject": f"Bench request {request_id}",
            "description": "The widget spins forever on our help center since this morning.",
            "priority": priority.value,
            "intake_channel": "chat",
            "area": "chat",
            "contact": "thread",
            "kind": "problem",
            "assignee_id": None if clock.responded is None else f"U_ENG{request_id % 20:02d}",
            "slack_channel_id": "C_ONCALL" if priority is Priority.CRITICAL else "C_SUPPORT",
            "thread_ts": f"{1_700_000_000 + request_id}.000100",
            "conversation_pending": False,
            "account_id": rng.randrange(1, ACCOUNTS + 1) if rng.random() < 0.6 else None,
            "version": 1,
            "sla_terms": TERMS,
            **clock.columns(),
        }
        values.update(self._facts(values))
        return tuple(values.get(name) for name in COLUMNS)

    def _facts(self, values: dict[str, Any]) -> dict[str, Any]:
        inputs = FactsInputs(
            id=values["id"],
            status=RequestStatus(values["status"]),
            created_at=values["created_at"],
            first_responded_at=values["first_responded_at"],
            resolved_at=values["resolved_at"],
            resolution_paused_since=values["resolution_paused_since"],
            resolution_paused_seconds=values["resolution_paused_seconds"],
        )
        facts = stored_facts(inputs, calendar=self.policy.calendar)
        return {
            "report_calendar": self.fingerprint,
            "report_basis_responded_at": inputs.first_responded_at,
            "report_basis_resolved_at": inputs.resolved_at,
            "report_basis_paused_since": inputs.resolution_paused_since,
            "report_basis_paused_seconds": inputs.resolution_paused_seconds,
            "report_response_business_seconds": facts.response_business_seconds,
            "report_response_wall_seconds": facts.response_wall_seconds,
            "report_resolution_seconds": facts.resolution_seconds,
            "report_past_target_at": facts.past_target_at,
        }

    def _timers(self, request_id: int) -> list[tuple[Any, ...]]:
        kinds = (TimerKind.RESOLUTION_REMINDER, TimerKind.RESOLUTION_BREACH)
        return [
            (
                request_id,
                kind.value,
                NOW + timedelta(minutes=self.rng.uniform(5, 30 * 24 * 60)),
                "pending",
                1,
                0,
                NOW,
            )
            for kind in kinds
        ]


class _Clock:
    """One request's clock instants, drawn step by step."""

    def __init__(self, *, created: datetime, due: datetime, is_open: bool) -> None:
        self.created, self.due, self.is_open = created, due, is_open
        self.responded: datetime | None = None
        self.resolved: datetime | None = None
        self.paused_since: datetime | None = None
        self.paused_seconds = 0
        self.escalated: datetime | None = None
        self.resolution_due: datetime | None = None
        self.status = RequestStatus.NEW

    def answer(self, rng: random.Random, *, answered: bool) -> None:
        if answered:
            target = (self.due - self.created).total_seconds()
            self.responded = min(
                WALL_NOW, self.created + timedelta(seconds=target * rng.uniform(0.05, 1.5))
            )
            self.status = RequestStatus.IN_PROGRESS

    def settle(self, rng: random.Random, policy: SlaPolicy) -> None:
        start = self.responded or self.created
        if rng.random() < 0.2:
            self.paused_seconds = rng.randrange(3600, 2 * 86400)
        self.resolution_due = policy.resolution_due(
            self.created, timedelta(seconds=self.paused_seconds)
        )
        if not self.is_open:
            self.resolved = min(WALL_NOW, start + timedelta(hours=rng.uniform(1, 200)))
            self.status = RequestStatus.RESOLVED
            if rng.random() < 0.05:
                self.escalated = start + (self.resolved - start) / 2
            return
        if self.responded is None:
            return
        draw = rng.random()
        if draw < 0.2:
            self.status = RequestStatus.WAITING_ON_CUSTOMER
            self.paused_since = self.responded + (WALL_NOW - self.responded) * rng.random()
        elif draw < 0.35:
            self.status = RequestStatus.ESCALATED_TO_DEVELOPMENT
            self.escalated = self.responded + (WALL_NOW - self.responded) * rng.random()

    def columns(self) -> dict[str, Any]:
        late = (
            self.responded or (WALL_NOW if self.is_open else self.resolved) or WALL_NOW
        ) > self.due
        running = self.is_open and self.escalated is None and self.paused_since is None
        past = running and self.resolution_due is not None and self.resolution_due < WALL_NOW
        return {
            "status": self.status.value,
            "created_at": _utc(self.created),
            "updated_at": _utc(self.resolved or self.responded or self.created),
            "first_response_due_at": _utc(self.due),
            "first_responded_at": _utc(self.responded),
            "first_responder_id": None if self.responded is None else "U_ENG01",
            "breached_at": _utc(self.due) if late else None,
            "resolution_due_at": _utc(self.resolution_due),
            "resolution_paused_since": _utc(self.paused_since),
            "resolution_paused_seconds": self.paused_seconds,
            "resolution_breached_at": _utc(self.resolution_due) if past else None,
            "escalated_to_development_at": _utc(self.escalated),
            "last_engineer_reply_at": _utc(self.responded),
            "resolved_at": _utc(self.resolved),
        }


def _utc(at: datetime | None) -> Any:
    """A pendulum UTC instant (what the rows load as), or None."""
    return None if at is None else pendulum.instance(at.astimezone(UTC))
