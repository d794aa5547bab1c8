"""Delivers the scheduler's notices to Slack without storms.

Each channel gets at most one message per `interval` real seconds across every replica:
a sender holds the channel's turn (a row lock in `channel_pace`) from its wait until its
post has been answered, so two posts to one channel can never overlap or bunch up. When
several notices fall due for one channel in one tick they become digest messages.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import Clock, real_sleep, real_time
from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.db.pace_repo import ensure_channel, lock_channel, set_next_post
from bot.domain.instants import as_instant
from bot.domain.requests import Priority
from bot.domain.sla import clock_for, format_duration
from bot.services.desk import Routing
from bot.services.notices import Delivery, DeliveryFailed, Ledger, Notice, NoticeKind
from bot.services.ports import ConversationRef
from bot.slack.notifier import SlackMessenger
from bot.slack.surfaces import notices as render
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.notes import conversation_opened
from bot.slack.text import mention_group, mention_user

log = logging.getLogger(__name__)

# Stores where a request's conversation lives (bot/services/filing.record_conversation).
ConversationRecorder = Callable[[int, ConversationRef], SupportRequest]

DIGEST_THRESHOLD = 3
# Lines per digest message: short enough to read, far under Slack's block limits.
DIGEST_SIZE = 50
PERMANENT_ERRORS = {"channel_not_found", "is_archived", "not_in_channel", "invalid_auth"}
SLACK_ERRORS = (SlackApiError, SlackClientError, OSError)
NO_CONVERSATION = DeliveryFailed("request has no conversation", permanent=True)
_DIGEST_WORDS = {
    NoticeKind.BREACH: "first-response target breached",
    NoticeKind.UPDATE_DUE: "Critical: an update is due",
    NoticeKind.RESOLUTION_BREACH: "resolution target breached",
    NoticeKind.BREACH_ESCALATION: "breached its first-response target",
    NoticeKind.RESOLUTION_ESCALATION: "breached its resolution target",
}


class SlackAnnouncer:
    """The NoticeSender that speaks Slack."""

    def __init__(
        self,
        *,
        messenger: SlackMessenger,
        db: Database,
        routing: Routing,
        clock: Clock,
        record_conversation: ConversationRecorder,
        interval: float = 1.0,
        now: Callable[[], float] = real_time,
        sleep: Callable[[float], None] = real_sleep,
    ) -> None:
        self.messenger = messenger
        self.db = db
        self.routing = routing
        self.clock = clock
        self.record_conversation = record_conversation
        self.interval = interval
        self._now = now
        self._sleep = sleep
        self._paced: set[str] = set()  # channels whose pace row exists (rows are never deleted)

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        """Singles when a channel has few notices this tick, digests when it has many.

        Root messages are posted first and one by one: a digest line is no conversation.
        """
        by_channel: dict[str, list[Notice]] = defaultdict(list)
        for notice in notices:
            if notice.kind.opens_conversation:
                self._publish(notice, ledger)
            else:
                by_channel[self._channel_of(notice)].append(notice)
        for channel, group in by_channel.items():
            if not channel:
                ledger.record([Delivery(n, NO_CONVERSATION) for n in ledger.still_ours(group)])
            elif len(group) >= DIGEST_THRESHOLD:
                for start in range(0, len(group), DIGEST_SIZE):
                    self._digest(channel, group[start : start + DIGEST_SIZE], ledger)
            else:
                for notice in group:
                    self._single(channel, notice, ledger)

    def _channel_of(self, notice: Notice) -> str:
        if notice.kind.to_escalation_channel:
            return self.routing.escalation_channel_id
        return notice.request.slack_channel_id or ""

    def _publish(self, notice: Notice, ledger: Ledger) -> None:
        """Post a root message filing could not, remember it, then tell the requester."""
        request = notice.request
        with self._turn(self.routing.channel_for(Priority(request.priority))):
            if not ledger.still_ours([notice]):
                return
            try:
                ref = self.messenger.publish(request)
            except SLACK_ERRORS as failure:
                ref, error = None, _failure(failure)
        if ref is None:
            ledger.record([Delivery(notice, error)])
            return
        # Stored before the timer is done: a crash in between finds the conversation open.
        opened = self.record_conversation(request.id or 0, ref)
        ledger.record([Delivery(notice)])
        self._tell_requester(opened)

    def _tell_requester(self, request: SupportRequest) -> None:
        """Best effort: the requester was told at filing that the conversation opens shortly."""
        try:
            message = conversation_opened(request, permalink=self.messenger.permalink(request))
            self.messenger.client.chat_postMessage(
                channel=request.requester_id, text=message.text, blocks=message.blocks
            )
        except SLACK_ERRORS as error:
            log.warning("could not tell %s its conversation is open: %s", request.key, error)

    def _single(self, channel: str, notice: Notice, ledger: Ledger) -> None:
        message = None if notice.kind.to_escalation_channel else self._render(notice)
        with self._turn(channel):
            if not ledger.still_ours([notice]):
                return
            error = self._post_single(notice, message)
        ledger.record([Delivery(notice, error)])
        if error is None:
            self._refresh_if_breach(notice)

    def _post_single(self, notice: Notice, message: Message | None) -> DeliveryFailed | None:
        request = notice.request
        try:
            if message is None:
                reason = "breach" if notice.kind is NoticeKind.BREACH_ESCALATION else "resolution"
                self.messenger.escalate(request, reason=reason, actor_id=None)
            else:
                self.messenger.post_in_thread(request, message)
        except SLACK_ERRORS as error:
            return _failure(error)
        return None

    def _digest(self, channel: str, group: Sequence[Notice], ledger: Ledger) -> None:
        lines = {id(n): self._digest_line(n) for n in group}
        with self._turn(channel):
            ours = ledger.still_ours(group)
            if not ours:
                return
            message = render.digest(
                [(n.request, lines[id(n)]) for n in ours],
                title=f"{len(ours)} requests need attention",
            )
            try:
                self.messenger.client.chat_postMessage(
                    channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
                )
                error = None
            except SLACK_ERRORS as failure:
                error = _failure(failure)
        ledger.record([Delivery(n, error) for n in ours])
        if error is None:
            for notice in ours:
                self._refresh_if_breach(notice)

    @contextmanager
    def _turn(self, channel: str) -> Iterator[None]:
        """Hold the channel's turn: wait for its slot, post, then set the next slot."""
        if channel not in self._paced:
            with self.db.session() as session:
                ensure_channel(session, channel_id=channel)
            self._paced.add(channel)
        # The row stays locked until this session commits, after the post was answered.
        with self.db.session() as session:
            ready = lock_channel(session, channel_id=channel)
            self._sleep(ready - self._now())
            try:
                yield
            finally:
                set_next_post(session, channel_id=channel, at=self._now() + self.interval)

    def _refresh_if_breach(self, notice: Notice) -> None:
        if notice.kind not in (NoticeKind.BREACH, NoticeKind.RESOLUTION_BREACH):
            return
        try:
            self.messenger.refresh(notice.request)
        except SLACK_ERRORS:
            log.warning("could not mark %s breached on its root message", notice.request.key)

    def _mention(self, notice: Notice) -> str:
        request = notice.request
        if request.assignee_id:
            return mention_user(request.assignee_id)
        return mention_group(self.routing.group_for(Priority(request.priority)))

    def _render(self, notice: Notice) -> Message:
        request, mention = notice.request, self._mention(notice)
        if notice.kind is NoticeKind.REMINDER:
            return render.reminder_notice(
                request,
                mention=mention,
                left_phrase=self._left(notice),
                due_at=notice.due_at,
                fraction=notice.fraction or 0.0,
                clock=clock_for(Priority(request.priority)).value,
            )
        if notice.kind is NoticeKind.BREACH:
            return render.breach_notice(request, mention=mention)
        if notice.kind is NoticeKind.UPDATE_DUE:
            return render.update_nudge(request, mention=mention)
        if notice.kind is NoticeKind.RESOLUTION_REMINDER:
            return render.resolution_reminder(
                request, mention=mention, left_phrase=self._left(notice), due_at=notice.due_at
            )
        return render.resolution_breach_notice(request, mention=mention)

    def _left(self, notice: Notice) -> str:
        policy = self.messenger.policy
        now = self.clock.now()
        if notice.kind is NoticeKind.REMINDER:
            priority = Priority(notice.request.priority)
            left = policy.remaining(priority, as_instant(notice.request.created_at), now)
        else:
            left = policy.calendar.elapsed(now, notice.due_at)
        return format_duration(left)

    def _digest_line(self, notice: Notice) -> str:
        if notice.kind.to_escalation_channel:
            link = self.messenger.permalink(notice.request)
            where = f" · <{link}|open the conversation>" if link else ""
            return f"{_DIGEST_WORDS[notice.kind]}{where}"
        if notice.kind is NoticeKind.REMINDER:
            words = f"first response due, {self._left(notice)} left"
        elif notice.kind is NoticeKind.RESOLUTION_REMINDER:
            words = f"resolution due, {self._left(notice)} left"
        else:
            words = _DIGEST_WORDS[notice.kind]
        return f"{self._mention(notice)} {words}"


def _failure(error: Exception) -> DeliveryFailed:
    code, retry_after = "", None
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
        if error.response.status_code == 429:
            retry_after = _retry_after(error.response.headers)
    return DeliveryFailed(
        f"{type(error).__name__}: {code or error}",
        permanent=code in PERMANENT_ERRORS,
        retry_after=retry_after,
    )


def _retry_after(headers: dict[str, object]) -> float:
    """Slack's Retry-After in seconds (header names vary in case; values may be lists)."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list) and value else value
            try:
                return float(str(first))
            except ValueError:
                break
    return 1.0
