"""Delivers the scheduler's notices: paced per channel, many for one channel as digests.

It only groups notices and calls the messenger; pacing lives in `bot.slack.pacing`,
Slack's errors are classified by `bot.slack.errors`, the words come from
`bot.slack.surfaces.notices`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from bot.clock import Clock
from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef
from bot.domain.sla import format_duration
from bot.domain.timer_kinds import TimerKind, Where
from bot.services.desk import Routing
from bot.services.ports import DeliveryFailed
from bot.services.sending import Delivery, Ledger
from bot.slack.errors import SLACK_ERRORS, classify
from bot.slack.messenger import SlackMessenger
from bot.slack.surfaces import notices as render
from bot.slack.text import mention_group, mention_user

DIGEST_THRESHOLD = 3
# Lines per digest message: short enough to read, far under Slack's block limits.
DIGEST_SIZE = 50
NO_CONVERSATION = DeliveryFailed("request has no conversation", permanent=True)


class NoticeSender:
    """The scheduler's `NoticeSender` that speaks Slack."""

    def __init__(
        self,
        *,
        messenger: SlackMessenger,
        routing: Routing,
        clock: Clock,
        stale_roots: Callable[[int], None],
    ) -> None:
        self.messenger = messenger
        self.routing = routing
        self.clock = clock
        # Marks a request's root message for rewriting (bot/slack/refresh_queue.py).
        self.stale_roots = stale_roots

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        """Singles when a channel has few notices this tick, digests when it has many."""
        by_channel: dict[str, list[Notice]] = defaultdict(list)
        for notice in notices:
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
        if notice.where is Where.ESCALATION_CHANNEL:
            return self.routing.escalation_channel_id
        return notice.request.slack_channel_id or ""

    def _single(self, channel: str, notice: Notice, ledger: Ledger) -> None:
        with self.messenger.pacer.turn(channel):
            if not ledger.still_ours([notice]):
                return
            error, posted = self._post_single(notice)
        ledger.record([Delivery(notice, error, posted)])
        if error is None:
            self._refresh_if_breach(notice)

    def _post_single(self, notice: Notice) -> tuple[DeliveryFailed | None, ConversationRef | None]:
        try:
            if notice.kind in render.ESCALATION_REASONS:
                reason = render.ESCALATION_REASONS[notice.kind]
                self.messenger.escalate(notice.request, reason=reason, actor_id=None)
                return None, None
            message = render.render_notice(notice, self._context(notice))
            ts = self.messenger.post_in_thread(notice.request, message, in_turn=True)
        except DeliveryFailed as error:
            return error, None
        except SLACK_ERRORS as error:
            return classify(error), None
        channel = notice.request.slack_channel_id
        return None, ConversationRef(channel, ts) if channel and ts else None

    def _digest(self, channel: str, group: Sequence[Notice], ledger: Ledger) -> None:
        lines = {id(n): self._digest_line(n) for n in group}
        with self.messenger.pacer.turn(channel):
            ours = ledger.still_ours(group)
            if not ours:
                return
            message = render.digest(
                [(n.request, lines[id(n)]) for n in ours],
                title=f"{len(ours)} requests need attention",
            )
            error: DeliveryFailed | None = None
            try:
                self.messenger.post_to_channel(channel, message)
            except DeliveryFailed as refused:
                error = refused
            except SLACK_ERRORS as failure:
                error = classify(failure)
        ledger.record([Delivery(n, error) for n in ours])
        if error is None:
            for notice in ours:
                self._refresh_if_breach(notice)

    def _refresh_if_breach(self, notice: Notice) -> None:
        """The root shows BREACHED: rewritten in the background, never inside the tick."""
        if notice.kind in (TimerKind.FIRST_RESPONSE_BREACH, TimerKind.RESOLUTION_BREACH):
            self.stale_roots(notice.request.id)

    def _context(self, notice: Notice) -> render.NoticeContext:
        return render.NoticeContext(mention=self._mention(notice), left=self._left(notice))

    def _mention(self, notice: Notice) -> str:
        """Who a ping is for: the assignee, else the group; a Critical always pages on-call."""
        request = notice.request
        group = mention_group(self.routing.group_for(request.priority))
        if notice.kind is TimerKind.RESOLUTION_REMINDER or not request.is_critical:
            return mention_user(request.assignee_id) if request.assignee_id else group
        if request.assignee_id:
            return f"{group} {mention_user(request.assignee_id)}"
        return group

    def _left(self, notice: Notice) -> str:
        now = self.clock.now()
        request = notice.request
        policy = self.messenger.policy.under(request.terms)
        if notice.kind is TimerKind.FIRST_RESPONSE_REMINDER:
            left = policy.remaining(request.priority, request.created_at, now)
        else:
            left = policy.calendar.elapsed(now, notice.due_at)
        return format_duration(left)

    def _digest_line(self, notice: Notice) -> str:
        link = None
        if notice.where is Where.ESCALATION_CHANNEL:
            link = self.messenger.permalink(notice.request.conversation)
        return render.digest_line(notice, self._context(notice), permalink=link)
