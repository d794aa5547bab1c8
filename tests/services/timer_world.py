"""A desk on a real database and a manual clock, driven tick by tick through `run_tick`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

import pendulum
from pendulum import DateTime
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.db.events_repo import events_of
from bot.db.models import Timer
from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.sla import DEFAULT_REMINDER_FRACTIONS, SlaPolicy
from bot.domain.timer_kinds import TimerKind
from bot.services import changes
from bot.services.changes import Change
from bot.services.desk import Desk, Routing
from bot.services.filing import RequestDraft, file_request
from bot.services.ledger import TickReport
from bot.services.replies import Reply, ReplyResult, record_reply
from bot.services.timers import run_tick
from tests.services.timer_fakes import (
    ENGINEER,
    REQUESTER,
    FakeDirectory,
    FakeMessenger,
    RecordingSender,
)

NEW_YORK = "America/New_York"
ROUTING = Routing(
    support_channel_id="C_SUPPORT",
    oncall_channel_id="C_ONCALL",
    escalation_channel_id="C_ESCALATION",
    support_group_id="S_SUPPORT",
    oncall_group_id="S_ONCALL",
)
PUBLISH = TimerKind.PUBLISH_CONVERSATION


def local(*args: int) -> DateTime:
    """A wall time in New York: local(2026, 11, 18, 15, 0)."""
    return pendulum.datetime(*args, tz=NEW_YORK)


class TimerWorld:
    """The desk, its clock and a recording sender; helpers speak the desk's words.

    Two worlds on one database are the same desk before and after a restart (with other
    settings, say): their delivery keys and root messages never collide.
    """

    def __init__(
        self,
        db: Database,
        start: DateTime,
        *,
        holidays: Iterable[date] = (),
        batch: int = 200,
        fractions: Sequence[float] = DEFAULT_REMINDER_FRACTIONS,
    ) -> None:
        hours = parse_business_hours("Sun 18:00-Fri 21:00")
        self.policy = SlaPolicy(BusinessCalendar(NEW_YORK, hours, holidays), fractions)
        self.clock = ManualClock(start)
        self.messenger = FakeMessenger(ROUTING)
        self.desk = Desk(
            db=db,
            clock=self.clock,
            policy=self.policy,
            routing=ROUTING,
            messenger=self.messenger,
            directory=FakeDirectory(),
        )
        self.sender = RecordingSender()
        self.batch = batch
        self.last: list[Notice] = []
        self._serial = 0
        self._run = uuid.uuid4().hex[:8]

    # Time

    def tick(self) -> TickReport:
        return run_tick(self.desk, self.sender, worker_id="test-worker", batch_size=self.batch)

    def at(self, instant: DateTime) -> list[tuple[str, str]]:
        """Move the clock to `instant`, tick until nothing is due, and say what was sent."""
        self.clock.set(instant)
        for _ in range(100):
            if not self.tick().claimed:
                break
        self.last = list(self.sender.sent)
        return self.sender.take()

    # What people do

    def file(
        self,
        priority: str,
        *,
        at: DateTime | None = None,
        route: str = "chat",
        project: str | None = None,
    ) -> Request:
        if at is not None:
            self.clock.set(at)
        self._serial += 1
        draft = RequestDraft(
            team_id="T0001",
            requester_id=REQUESTER,
            subject=f"Issue {self._serial}",
            description="The inbox spins forever.",
            priority=Priority(priority),
            intake_channel=IntakeChannel(route),
            project=project,
        )
        key = f"test:{self._run}:{self._serial}"
        return file_request(self.desk, draft=draft, delivery_key=key).request

    def respond(
        self,
        request: Request,
        *,
        user: str = ENGINEER,
        text: str = "Looking into it now.",
        thread: ConversationRef | None = None,
    ) -> ReplyResult:
        """A reply at the clock's now, in `thread` or the request's conversation as it is."""
        self._serial += 1
        where = thread or self.reload(request).conversation
        assert where is not None, f"{request.key} has no conversation to reply in"
        reply = Reply(
            channel_id=where.channel_id,
            thread_ts=where.ts,
            ts=f"1700000001.{self._serial:06d}",
            user_id=user,
            text=text,
            at=self.clock.now(),
        )
        return record_reply(self.desk, reply=reply)

    def take(self, request: Request, *, user: str = ENGINEER) -> Change:
        return changes.take(self.desk, request_id=request.id, user_id=user)

    def change_priority(self, request: Request, priority: str, *, user: str = ENGINEER) -> Change:
        return changes.change_priority(
            self.desk, request_id=request.id, user_id=user, priority=Priority(priority)
        )

    def wait_on_customer(self, request: Request) -> Change:
        return changes.wait_on_customer(self.desk, request_id=request.id, user_id=ENGINEER)

    def customer_replied(self, request: Request) -> Change:
        return changes.customer_replied(self.desk, request_id=request.id, user_id=REQUESTER)

    def escalate_to_development(self, request: Request) -> Change:
        return changes.escalate_to_development(self.desk, request_id=request.id, user_id=ENGINEER)

    def resolve(self, request: Request, *, user: str = ENGINEER) -> Change:
        return changes.resolve(self.desk, request_id=request.id, user_id=user)

    # What the database says

    def reload(self, request: Request) -> Request:
        with self.desk.db.unit_of_work() as uow:
            fresh = uow.requests.get(request.id)
        assert fresh is not None
        return fresh

    def pending(self, request: Request) -> list[tuple[str, DateTime]]:
        with self.desk.db.unit_of_work() as uow:
            timers = uow.timers.pending(request.id)
        return [(t.kind.value, t.fire_at) for t in timers]

    def timers(self, request: Request) -> list[Timer]:
        with self.desk.db.session() as session:
            statement = (
                select(Timer)
                .where(col(Timer.request_id) == request.id)
                .order_by(col(Timer.fire_at), col(Timer.id))
            )
            return list(session.exec(statement).all())

    def publish_timers(self, request: Request) -> list[Timer]:
        return [t for t in self.timers(request) if t.kind is PUBLISH]

    def events(self, request: Request) -> list[str]:
        with self.desk.db.session() as session:
            return [event.kind for event in events_of(session, request.id)]

    def threads(self, request: Request) -> list[ConversationRef]:
        with self.desk.db.unit_of_work() as uow:
            return uow.requests.threads(request.id)
