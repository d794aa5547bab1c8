"""What due timers mean for their request right now: notify, collapse, defer or drop.

After downtime several timers of one request can come due together; only the newest
relevant notice per clock is said (a breach swallows the pings before it). Pings on the
business clock wait for the desk to open. Pure: the tick loads, calls `decide`, saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.sla import SlaClock, SlaPolicy, clock_for
from bot.domain.timer_kinds import DueTimer, TimerKind, Where
from bot.domain.timer_plan import PlannedTimer, expects_updates, next_update_at


@dataclass(frozen=True)
class Notice:
    """One thing to say about one request, on behalf of one or more timers."""

    kind: TimerKind
    request: Request
    timer_ids: tuple[int, ...]
    due_at: DateTime
    fraction: float | None = None

    @property
    def where(self) -> Where:
        return self.kind.spec.where


@dataclass
class Decision:
    """The request as decided, notices to send, timers to drop, timers to schedule next."""

    request: Request
    notices: list[Notice] = field(default_factory=list)
    skipped: list[DueTimer] = field(default_factory=list)
    follow_ups: list[PlannedTimer] = field(default_factory=list)
    # Publish timers to act on: the request still owes its conversation a root message.
    publish: list[DueTimer] = field(default_factory=list)


@dataclass(frozen=True)
class SlaTrack:
    """One clock's timer kinds: first response or resolution."""

    reminder: TimerKind
    breach: TimerKind
    escalation: TimerKind


FIRST_RESPONSE = SlaTrack(
    TimerKind.FIRST_RESPONSE_REMINDER,
    TimerKind.FIRST_RESPONSE_BREACH,
    TimerKind.BREACH_ESCALATION,
)
RESOLUTION = SlaTrack(
    TimerKind.RESOLUTION_REMINDER, TimerKind.RESOLUTION_BREACH, TimerKind.RESOLUTION_ESCALATION
)


def decide(
    request: Request, timers: Sequence[DueTimer], *, policy: SlaPolicy, now: DateTime
) -> Decision:
    """Decide, under the request's lock, what its due timers should do."""
    decision = Decision(request=request)
    live = [t for t in timers if still_relevant(request, t)]
    decision.skipped.extend(t for t in timers if t not in live)
    own_policy = policy.under(request.terms)
    for track in (FIRST_RESPONSE, RESOLUTION):
        own = [t for t in live if t.kind in (track.reminder, track.breach)]
        if own:
            _sla_clock(own, track, policy=own_policy, now=now, decision=decision)
    _updates([t for t in live if t.kind is TimerKind.CRITICAL_UPDATE], now, decision)
    decision.publish.extend(t for t in live if t.kind is TimerKind.PUBLISH_CONVERSATION)
    for timer in live:
        if timer.kind.spec.where is Where.ESCALATION_CHANNEL:
            _notice(decision, timer.kind, [timer], timer.fire_at)
    return decision


def still_relevant(request: Request, timer: DueTimer) -> bool:
    """A timer of an older version, or of a request past that clock, does nothing."""
    where = timer.kind.spec.where
    if where is Where.ESCALATION_CHANNEL:
        return True  # a breach that happened is escalated, whatever came after it
    if where is Where.ROOT_MESSAGE:
        return request.conversation_pending  # whatever changed, the root message is owed
    if timer.request_version != request.version or not request.is_open:
        return False
    if timer.kind in (FIRST_RESPONSE.reminder, FIRST_RESPONSE.breach):
        return request.first_responded_at is None
    if timer.kind is RESOLUTION.reminder:
        return request.resolution_counts and request.assignee_id is not None
    if timer.kind is RESOLUTION.breach:
        return request.resolution_counts
    return expects_updates(request)


def _sla_clock(
    timers: list[DueTimer], track: SlaTrack, *, policy: SlaPolicy, now: DateTime, decision: Decision
) -> None:
    """A breach speaks for every timer of its clock; otherwise the newest live ping does."""
    request = decision.request
    due_at = _due(request, track)
    if due_at is None:
        decision.skipped.extend(timers)
        return
    if any(t.kind is track.breach for t in timers):
        decision.request = _mark_breached(request, track, due_at)
        _notice(decision, track.breach, timers, due_at)
        decision.follow_ups.append(PlannedTimer(track.escalation, due_at))
        return
    keep = _newest_reminder(timers, due_at, now)
    if keep is None or _superseded(request, track, keep, policy, now):
        decision.skipped.extend(timers)  # a later timer of this clock will speak
        return
    decision.skipped.extend(t for t in timers if t is not keep)
    if _on_business_clock(request, track) and not policy.open_at(now):
        # Only after downtime: the business clock stands still, so the ping waits.
        decision.skipped.append(keep)
        opening = policy.calendar.next_opening(now)
        decision.follow_ups.append(PlannedTimer(track.reminder, opening, keep.fraction))
        return
    _notice(decision, track.reminder, [keep], due_at, keep.fraction)


def _due(request: Request, track: SlaTrack) -> DateTime | None:
    if track is FIRST_RESPONSE:
        return request.first_response_due_at
    return request.resolution_due_at


def _mark_breached(request: Request, track: SlaTrack, due_at: DateTime) -> Request:
    if track is FIRST_RESPONSE and request.breached_at is None:
        return request.but(breached_at=due_at)
    if track is RESOLUTION and request.resolution_breached_at is None:
        return request.but(resolution_breached_at=due_at)
    return request


def _on_business_clock(request: Request, track: SlaTrack) -> bool:
    """Resolution always counts business time; first response does except for Critical."""
    return track is RESOLUTION or clock_for(request.priority) is SlaClock.BUSINESS


def _updates(timers: list[DueTimer], now: DateTime, decision: Decision) -> None:
    if not timers:
        return
    latest = max(timers, key=lambda t: t.fire_at)
    decision.skipped.extend(t for t in timers if t is not latest)
    _notice(decision, TimerKind.CRITICAL_UPDATE, [latest], latest.fire_at)
    interval = decision.request.terms.update_interval
    following = next_update_at(latest.fire_at, now=now, interval=interval)
    decision.follow_ups.append(PlannedTimer(TimerKind.CRITICAL_UPDATE, following))


def _newest_reminder(reminders: list[DueTimer], due_at: DateTime, now: DateTime) -> DueTimer | None:
    """The latest due reminder, unless the target itself has already passed."""
    if due_at <= now:
        return None
    return max(reminders, key=lambda t: (t.fraction or 0.0, t.fire_at), default=None)


def _superseded(
    request: Request, track: SlaTrack, reminder: DueTimer, policy: SlaPolicy, now: DateTime
) -> bool:
    """A later reminder of the same clock is already due: it alone should speak."""
    paused = timedelta(seconds=request.resolution_paused_seconds)
    for fraction in policy.reminder_fractions:
        if fraction <= (reminder.fraction or 0.0):
            continue
        if track is FIRST_RESPONSE:
            at = policy.fraction_instant(request.priority, request.created_at, fraction)
        else:
            at = policy.resolution_fraction_instant(request.created_at, fraction, paused)
        if at <= now:
            return True
    return False


def _notice(
    decision: Decision,
    kind: TimerKind,
    timers: Sequence[DueTimer],
    due_at: DateTime,
    fraction: float | None = None,
) -> None:
    ids = tuple(t.id for t in timers)
    decision.notices.append(Notice(kind, decision.request, ids, due_at, fraction))
