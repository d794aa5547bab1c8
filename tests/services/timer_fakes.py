"""Fakes for the timer tests: a notice sender, a messenger and a directory that record."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.db.models import SupportRequest
from bot.services.notices import Delivery, DeliveryFailed, Ledger, Notice
from bot.services.ports import ConversationRef

ENGINEER = "U_ERIN"
REQUESTER = "U_CARL"


@dataclass
class RecordingSender:
    """A NoticeSender that keeps what it sent; queued failures make the next sends fail."""

    sent: list[Notice] = field(default_factory=list)
    failures: deque[DeliveryFailed] = field(default_factory=deque)
    calls: int = 0
    before_send: Callable[[Sequence[Notice]], None] | None = None
    # Posts a root message and stores it, as the Slack announcer does for publish notices.
    open_conversation: Callable[[Notice], None] | None = None

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        self.calls += 1
        if self.before_send is not None:
            self.before_send(notices)
        for notice in ledger.still_ours(notices):
            error = self.failures.popleft() if self.failures else None
            if error is None:
                if notice.kind.opens_conversation and self.open_conversation is not None:
                    self.open_conversation(notice)
                self.sent.append(notice)
            ledger.record([Delivery(notice, error)])

    def fail_next(self, count: int = 1, **options: object) -> None:
        """Make the next `count` deliveries fail (DeliveryFailed options: permanent, ...)."""
        for _ in range(count):
            self.failures.append(DeliveryFailed("HTTP 503 from Slack", **options))  # type: ignore[arg-type]

    def take(self) -> list[tuple[str, str]]:
        """(request key, notice kind) of everything sent since the last take."""
        taken = [(n.request.key, n.kind.value) for n in self.sent]
        self.sent.clear()
        return taken


@dataclass
class FakeMessenger:
    """The Messenger port: every request gets a conversation of its own, calls are kept."""

    published: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    # Posts that fail (Slack down after the client's retries), and a hook run before each.
    failing_posts: int = 0
    before_publish: Callable[[SupportRequest], None] | None = None

    def publish(self, request: SupportRequest) -> ConversationRef:
        if self.before_publish is not None:
            self.before_publish(request)
        if self.failing_posts:
            self.failing_posts -= 1
            raise ConnectionError("Slack answered 500 to chat.postMessage")
        self.published.append(request.key)
        channel = "C_ONCALL" if request.priority == "critical" else "C_SUPPORT"
        return ConversationRef(channel_id=channel, ts=f"1700000000.{request.id or 0:06d}")

    def refresh(self, request: SupportRequest) -> None:
        self.refreshed.append(request.key)

    def note(self, request: SupportRequest, text: str) -> None:
        self.notes.append((request.key, text))

    def permalink(self, request: SupportRequest) -> str | None:
        return f"https://example.slack.com/archives/{request.slack_channel_id}/p{request.id}"

    def escalate(self, request: SupportRequest, *, reason: str, actor_id: str | None) -> None:
        self.notes.append((request.key, f"escalated: {reason}"))


class FakeDirectory:
    """Erin is a support engineer; everyone else is a customer."""

    def is_support_engineer(self, user_id: str) -> bool:
        return user_id == ENGINEER

    def is_chat_admin(self, user_id: str) -> bool:
        return user_id == REQUESTER
