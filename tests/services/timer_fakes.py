"""Fakes for the timer tests: a notice sender, a messenger and a directory that record."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pendulum import DateTime

from bot.domain.changes import ChangeNote, CustomerNote
from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef, Request
from bot.services.desk import Routing
from bot.services.ports import DeliveryFailed
from bot.services.sending import Delivery, Ledger

ENGINEER = "U_ERIN"
ONCALL = "U_OLGA"  # in the on-call group, not the support group
REQUESTER = "U_CARL"
SLACK_DOWN = "HTTP 503 from Slack"

# Root message timestamps unique in the whole test run: several fakes (a desk "restarted"
# on the same database) must never hand out the same thread twice.
_ROOT_TS = itertools.count(1)
_PING_TS = itertools.count(1)


@dataclass
class RecordingSender:
    """A NoticeSender that keeps what it sent; queued failures make the next sends fail."""

    sent: list[Notice] = field(default_factory=list)
    failures: deque[DeliveryFailed] = field(default_factory=deque)
    calls: int = 0
    before_send: Callable[[Sequence[Notice]], None] | None = None

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        self.calls += 1
        if self.before_send is not None:
            self.before_send(notices)
        for notice in ledger.still_ours(notices):
            error = self.failures.popleft() if self.failures else None
            posted = None
            if error is None:
                self.sent.append(notice)
                channel = notice.request.slack_channel_id or ""
                posted = ConversationRef(channel, f"ping.{next(_PING_TS)}")
            ledger.record([Delivery(notice, error, posted)])

    def fail_next(
        self, count: int = 1, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        """Make the next `count` deliveries fail."""
        for _ in range(count):
            error = DeliveryFailed(SLACK_DOWN, permanent=permanent, retry_after=retry_after)
            self.failures.append(error)

    def take(self) -> list[tuple[str, str]]:
        """(request key, timer kind) of everything sent since the last take."""
        taken = [(n.request.key, n.kind.value) for n in self.sent]
        self.sent.clear()
        return taken


@dataclass(frozen=True)
class Moved:
    """One `conversation_moved` call: the request's key, the thread left, the one joined."""

    key: str
    old: ConversationRef
    new: ConversationRef | None


@dataclass
class FakeMessenger:
    """The Messenger port: each root message is a new thread; every call is kept.

    `failing_posts` root messages fail (Slack down after the client's own retries) with
    `DeliveryFailed`, as the Slack messenger's port methods do.
    """

    routing: Routing
    # (key, channel) of each root message posted, and each attempt, failed or not.
    roots: list[tuple[str, str]] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    notes: list[tuple[str, ChangeNote]] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    escalations: list[tuple[str, str]] = field(default_factory=list)
    superseded: list[tuple[str, str, str | None]] = field(default_factory=list)
    # (key, customer thread, note) of each customer-facing note.
    customer_notes: list[tuple[str, ConversationRef, CustomerNote]] = field(default_factory=list)
    failing_posts: int = 0
    retry_after: float | None = None
    before_publish: Callable[[Request], None] | None = None

    @property
    def published(self) -> list[str]:
        """The keys of the requests whose root message was posted, in order."""
        return [key for key, _ in self.roots]

    def publish(self, request: Request, *, paced: bool = False) -> ConversationRef:
        self.attempts.append(request.key)
        if self.before_publish is not None:
            self.before_publish(request)
        if self.failing_posts:
            self.failing_posts -= 1
            raise DeliveryFailed(SLACK_DOWN, retry_after=self.retry_after)
        channel = self.routing.channel_for(request.priority)
        self.roots.append((request.key, channel))
        return ConversationRef(channel_id=channel, ts=f"1700000000.{next(_ROOT_TS):06d}")

    def refresh(self, request: Request) -> None:
        self.refreshed.append(request.key)

    def say(self, request: Request, note: ChangeNote) -> None:
        self.notes.append((request.key, note))

    def tell_customer(self, request: Request, note: CustomerNote) -> None:
        thread = request.customer_thread
        if thread is not None:
            self.customer_notes.append((request.key, thread, note))

    def conversation_opened(self, request: Request) -> None:
        self.opened.append(request.key)

    def conversation_moved(self, request: Request, *, old: ConversationRef) -> None:
        self.moved.append(Moved(request.key, old, request.conversation))

    def escalate(self, request: Request, *, reason: str, actor_id: str | None) -> None:
        self.escalations.append((request.key, reason))

    def supersede_ping(
        self, request: Request, ping: ConversationRef, *, answered_by: str | None, at: DateTime
    ) -> None:
        self.superseded.append((request.key, ping.ts, answered_by))


ONCALL = "U_OLGA"


class FakeDirectory:
    """Erin is a support engineer, Olga is on call; everyone else is a customer."""

    def is_support_engineer(self, user_id: str) -> bool:
        return user_id == ENGINEER

    def is_desk_member(self, user_id: str) -> bool:
        return user_id in (ENGINEER, ONCALL)

    def is_chat_admin(self, user_id: str) -> bool:
        return user_id == REQUESTER
