"""Delivers the scheduler's notices to Slack without storms.

Each channel gets at most one message per `interval` real seconds across every replica
(slots reserved in the database), and when several notices fall due for one channel in
one tick they become a single digest message.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import Clock, real_sleep, real_time
from bot.db.engine import Database
from bot.db.pace_repo import reserve_slot
from bot.domain.instants import as_instant
from bot.domain.requests import Priority
from bot.domain.sla import format_duration
from bot.services.desk import Routing
from bot.services.notices import Delivery, DeliveryFailed, Notice, NoticeKind
from bot.slack.notifier import SlackMessenger
from bot.slack.surfaces import notices as render
from bot.slack.surfaces.blocks import Message
from bot.slack.text import mention_group, mention_user

log = logging.getLogger(__name__)

DIGEST_THRESHOLD = 3
PERMANENT_ERRORS = {"channel_not_found", "is_archived", "not_in_channel", "invalid_auth"}


class SlackAnnouncer:
    """The NoticeSender that speaks Slack."""

    def __init__(
        self,
        *,
        messenger: SlackMessenger,
        db: Database,
        routing: Routing,
        clock: Clock,
        interval: float = 1.0,
        now: Callable[[], float] = real_time,
        sleep: Callable[[float], None] = real_sleep,
    ) -> None:
        self.messenger = messenger
        self.db = db
        self.routing = routing
        self.clock = clock
        self.interval = interval
        self._now = now
        self._sleep = sleep

    def send(self, notices: Sequence[Notice]) -> list[Delivery]:
        by_channel: dict[str, list[Notice]] = defaultdict(list)
        for notice in notices:
            by_channel[self._channel_of(notice)].append(notice)
        deliveries: list[Delivery] = []
        for channel, group in by_channel.items():
            if not channel:
                failed = DeliveryFailed("request has no conversation", permanent=True)
                deliveries.extend(Delivery(n, failed) for n in group)
            elif len(group) >= DIGEST_THRESHOLD:
                deliveries.extend(self._digest(channel, group))
            else:
                deliveries.extend(self._single(channel, notice) for notice in group)
        return deliveries

    def _channel_of(self, notice: Notice) -> str:
        if notice.kind.to_escalation_channel:
            return self.routing.escalation_channel_id
        return notice.request.slack_channel_id or ""

    def _single(self, channel: str, notice: Notice) -> Delivery:
        request = notice.request
        try:
            self._wait_turn(channel)
            if notice.kind.to_escalation_channel:
                reason = "breach" if notice.kind is NoticeKind.BREACH_ESCALATION else "resolution"
                self.messenger.escalate(request, reason=reason, actor_id=None)
            else:
                self.messenger.post_in_thread(request, self._render(notice))
        except (SlackApiError, SlackClientError, OSError) as error:
            return Delivery(notice, _failure(error))
        self._refresh_if_breach(notice)
        return Delivery(notice)

    def _digest(self, channel: str, group: list[Notice]) -> list[Delivery]:
        lines = [(n.request, self._digest_line(n)) for n in group]
        message = render.digest(lines, title=f"{len(group)} requests need attention")
        try:
            self._wait_turn(channel)
            self.messenger.client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            failure = _failure(error)
            return [Delivery(n, failure) for n in group]
        for notice in group:
            self._refresh_if_breach(notice)
        return [Delivery(n) for n in group]

    def _wait_turn(self, channel: str) -> None:
        with self.db.session() as session:
            slot = reserve_slot(
                session, channel_id=channel, now=self._now(), interval=self.interval
            )
        self._sleep(slot - self._now())

    def _refresh_if_breach(self, notice: Notice) -> None:
        if notice.kind not in (NoticeKind.BREACH, NoticeKind.RESOLUTION_BREACH):
            return
        try:
            self.messenger.refresh(notice.request)
        except (SlackApiError, SlackClientError, OSError):
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
        words = {
            NoticeKind.REMINDER: f"first response due, {self._left(notice)} left",
            NoticeKind.BREACH: "first-response target breached",
            NoticeKind.UPDATE_DUE: "Critical: an update is due",
            NoticeKind.RESOLUTION_REMINDER: f"resolution due, {self._left(notice)} left",
            NoticeKind.RESOLUTION_BREACH: "resolution target breached",
            NoticeKind.BREACH_ESCALATION: "breached its first-response target",
            NoticeKind.RESOLUTION_ESCALATION: "breached its resolution target",
        }
        return f"{self._mention(notice)} {words[notice.kind]}"


def _failure(error: Exception) -> DeliveryFailed:
    code = ""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
    return DeliveryFailed(
        f"{type(error).__name__}: {code or error}", permanent=code in PERMANENT_ERRORS
    )
