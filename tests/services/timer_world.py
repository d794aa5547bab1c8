"""A desk on a real database and a manual clock, driven tick by tick through `run_tick`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pendulum
from pendulum import DateTime
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.db.models import SupportRequest, Timer
from bot.db.repositories import get_request, pending_timers
from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.instants import as_instant
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.sla import SlaPolicy
from bot.services import conversation
from bot.services.desk import Desk, Routing
from bot.services.filing import RequestDraft, file_request, record_conversation
from bot.services.notices import Notice
from bot.services.replies import Reply, ReplyResult, record_reply
from bot.services.timers import TickReport, run_tick
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


def local(*args: int) -> DateTime:
    """A wall time in New York: local(2026, 11, 18, 15, 0)."""
    return pendulum.datetime(*args, tz=NEW_YORK)


class TimerWorld:
    """The desk, its clock and a recording sender; helpers speak the desk's words."""

    def __init__(
        self, db: Database, start: DateTime, *, holidays: Iterable[date] = (), batch: int = 200
    ) -> None:
        hours = parse_business_hours("Sun 18:00-Fri 21:00")
        self.policy = SlaPolicy(BusinessCalendar(NEW_YORK, hours, holidays))
        self.clock = ManualClock(start)
        self.messenger = FakeMessenger()
        self.desk = Desk(
            db=db,
            clock=self.clock,
            policy=self.policy,
            routing=ROUTING,
            messenger=self.messenger,
            directory=FakeDirectory(),
        )
        self.sender = RecordingSender(open_conversation=self._open_conversation)
        self.batch = batch
        self.last: list[Notice] = []
        self._serial = 0

    def _open_conversation(self, notice: Notice) -> None:
        ref = self.messenger.publish(notice.request)
        record_conversation(self.desk, request_id=notice.request.id or 0, ref=ref)

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

    def file(self, priority: str, *, at: DateTime | None = None) -> SupportRequest:
        if at is not None:
            self.clock.set(at)
        self._serial += 1
        draft = RequestDraft(
            team_id="T0001",
            requester_id=REQUESTER,
            subject=f"Issue {self._serial}",
            description="The inbox spins forever.",
            priority=Priority(priority),
            intake_channel=IntakeChannel.CHAT,
        )
        return file_request(self.desk, draft=draft, delivery_key=f"test:{self._serial}").request

    def respond(
        self, request: SupportRequest, *, user: str = ENGINEER, text: str = "Looking into it now."
    ) -> ReplyResult:
        """A thread reply in the request's conversation, at the clock's now."""
        self._serial += 1
        reply = Reply(
            channel_id=request.slack_channel_id or "",
            thread_ts=request.thread_ts or "",
            ts=f"1700000001.{self._serial:06d}",
            user_id=user,
            text=text,
            at=self.clock.now(),
        )
        return record_reply(self.desk, reply=reply)

    def change_priority(self, request: SupportRequest, priority: str) -> None:
        conversation.change_priority(
            self.desk, request_id=request.id or 0, user_id=ENGINEER, priority=Priority(priority)
        )

    def wait_on_customer(self, request: SupportRequest) -> None:
        conversation.wait_on_customer(self.desk, request_id=request.id or 0, user_id=ENGINEER)

    def customer_replied(self, request: SupportRequest) -> None:
        conversation.customer_replied(self.desk, request_id=request.id or 0, user_id=REQUESTER)

    def escalate_to_development(self, request: SupportRequest) -> None:
        conversation.escalate_to_development(
            self.desk, request_id=request.id or 0, user_id=ENGINEER
        )

    def resolve(self, request: SupportRequest) -> None:
        conversation.resolve(self.desk, request_id=request.id or 0, user_id=ENGINEER)

    # What the database says

    def reload(self, request: SupportRequest) -> SupportRequest:
        with self.desk.db.session() as session:
            fresh = get_request(session, request.id or 0)
        assert fresh is not None
        return fresh

    def pending(self, request: SupportRequest) -> list[tuple[str, DateTime]]:
        with self.desk.db.session() as session:
            timers = pending_timers(session, request_id=request.id or 0)
        return [(t.kind, as_instant(t.fire_at)) for t in timers]

    def timers(self, request: SupportRequest) -> list[Timer]:
        with self.desk.db.session() as session:
            statement = (
                select(Timer)
                .where(col(Timer.request_id) == request.id)
                .order_by(col(Timer.fire_at), col(Timer.id))
            )
            return list(session.exec(statement).all())
