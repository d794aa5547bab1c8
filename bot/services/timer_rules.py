"""What due timers mean for their request right now: notify, collapse, defer or drop.

After downtime several timers of one request can come due together; only the newest
relevant notice per clock is said (a breach swallows the pings before it). Pings on the
business clock wait for the desk to open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pendulum import DateTime

from bot.db.models import SupportRequest, Timer, TimerKind
from bot.domain.instants import as_instant
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import CRITICAL_UPDATE_INTERVAL, SlaClock, SlaPolicy, clock_for
from bot.services.notices import Notice, NoticeKind


@dataclass(frozen=True)
class FollowUp:
    """A timer a decision schedules: the next update nudge, an escalation, a deferred ping."""

    kind: TimerKind
    at: DateTime
    fraction: float | None = None


@dataclass
class Decision:
    """The notices to send, the timers to drop, and the timers to schedule next."""

    notices: list[Notice] = field(default_factory=list)
    skipped: list[Timer] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass(frozen=True)
class SlaTrack:
    """One clock's timer and notice kinds: first response or resolution."""

    reminder: TimerKind
    breach: TimerKind
    escalation: TimerKind
    reminder_notice: NoticeKind
    breach_notice: NoticeKind


FIRST_RESPONSE = SlaTrack(
    TimerKind.FIRST_RESPONSE_REMINDER,
    TimerKind.FIRST_RESPONSE_BREACH,
    TimerKind.BREACH_ESCALATION,
    NoticeKind.REMINDER,
    NoticeKind.BREACH,
)
RESOLUTION = SlaTrack(
    TimerKind.RESOLUTION_REMINDER,
    TimerKind.RESOLUTION_BREACH,
    TimerKind.RESOLUTION_ESCALATION,
    NoticeKind.RESOLUTION_REMINDER,
    NoticeKind.RESOLUTION_BREACH,
)
ESCALATIONS = {
    TimerKind.BREACH_ESCALATION: NoticeKind.BREACH_ESCALATION,
    TimerKind.RESOLUTION_ESCALATION: NoticeKind.RESOLUTION_ESCALATION,
}


def decide_for_request(
    request: SupportRequest, timers: Sequence[Timer], *, policy: SlaPolicy, now: DateTime
) -> Decision:
    """Decide, under the request's lock, what its due timers should do."""
    decision = Decision()
    live = [t for t in timers if _still_relevant(request, t)]
    decision.skipped.extend(t for t in timers if t not in live)
    for track in (FIRST_RESPONSE, RESOLUTION):
        own = [t for t in live if t.kind in (track.reminder, track.breach)]
        if own:
            _sla_clock(request, own, track, policy=policy, now=now, decision=decision)
    _updates(request, [t for t in live if t.kind == TimerKind.CRITICAL_UPDATE], now, decision)
    _publish(request, [t for t in live if t.kind == TimerKind.PUBLISH_CONVERSATION], decision)
    for timer in live:
        if timer.kind in ESCALATIONS:
            kind = ESCALATIONS[TimerKind(timer.kind)]
            _notice(decision, kind, request, [timer], as_instant(timer.fire_at))
    return decision


def speaks_in_conversation(timer: Timer) -> bool:
    """Whether the timer's notice is said in the request's conversation, so needs it open."""
    kind = TimerKind(timer.kind)
    return kind not in ESCALATIONS and kind is not TimerKind.PUBLISH_CONVERSATION


def resolution_counts(request: SupportRequest) -> bool:
    """Whether the resolution clock runs: open, not waiting, never escalated to Development."""
    return (
        request.status not in (RequestStatus.RESOLVED, RequestStatus.WAITING_ON_CUSTOMER)
        and request.escalated_to_development_at is None
    )


def _still_relevant(request: SupportRequest, timer: Timer) -> bool:
    """A timer of an older version, or of a request past that clock, does nothing."""
    kind = TimerKind(timer.kind)
    if kind in ESCALATIONS:
        return True  # a breach that happened is escalated, whatever came after it
    if kind is TimerKind.PUBLISH_CONVERSATION:
        return request.thread_ts is None  # whatever changed, the request needs its conversation
    if timer.request_version != request.version or request.status == RequestStatus.RESOLVED:
        return False
    if kind in (FIRST_RESPONSE.reminder, FIRST_RESPONSE.breach):
        return request.first_responded_at is None
    if kind in (RESOLUTION.reminder, RESOLUTION.breach):
        return resolution_counts(request)
    return request.priority == Priority.CRITICAL and request.first_responded_at is not None


def _sla_clock(
    request: SupportRequest,
    timers: list[Timer],
    track: SlaTrack,
    *,
    policy: SlaPolicy,
    now: DateTime,
    decision: Decision,
) -> None:
    """A breach speaks for every timer of its clock; otherwise the newest live ping does."""
    due_at = _due(request, track)
    if due_at is None:
        decision.skipped.extend(timers)
        return
    if any(t.kind == track.breach for t in timers):
        _mark_breached(request, track, due_at)
        _notice(decision, track.breach_notice, request, timers, due_at)
        decision.follow_ups.append(FollowUp(track.escalation, due_at))
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
        decision.follow_ups.append(FollowUp(track.reminder, opening, keep.fraction))
        return
    _notice(decision, track.reminder_notice, request, [keep], due_at, keep.fraction)


def _due(request: SupportRequest, track: SlaTrack) -> DateTime | None:
    if track is FIRST_RESPONSE:
        return as_instant(request.first_response_due_at)
    due = request.resolution_due_at
    return None if due is None else as_instant(due)


def _mark_breached(request: SupportRequest, track: SlaTrack, due_at: DateTime) -> None:
    if track is FIRST_RESPONSE and request.breached_at is None:
        request.breached_at = due_at
    if track is RESOLUTION and request.resolution_breached_at is None:
        request.resolution_breached_at = due_at


def _on_business_clock(request: SupportRequest, track: SlaTrack) -> bool:
    """Resolution always counts business time; first response does except for Critical."""
    return track is RESOLUTION or clock_for(Priority(request.priority)) is SlaClock.BUSINESS


def _updates(
    request: SupportRequest, timers: list[Timer], now: DateTime, decision: Decision
) -> None:
    if not timers:
        return
    latest = max(timers, key=lambda t: as_instant(t.fire_at))
    decision.skipped.extend(t for t in timers if t is not latest)
    fired = as_instant(latest.fire_at)
    _notice(decision, NoticeKind.UPDATE_DUE, request, [latest], fired)
    # Keep the cadence; after downtime restart it from now rather than replaying the gap.
    following = fired + CRITICAL_UPDATE_INTERVAL
    if following <= now:
        following = now + CRITICAL_UPDATE_INTERVAL
    decision.follow_ups.append(FollowUp(TimerKind.CRITICAL_UPDATE, following))


def _publish(request: SupportRequest, timers: list[Timer], decision: Decision) -> None:
    """However many publish timers are due, the root message is posted once."""
    if timers:
        latest = max(as_instant(t.fire_at) for t in timers)
        _notice(decision, NoticeKind.PUBLISH_CONVERSATION, request, timers, latest)


def _newest_reminder(reminders: list[Timer], due_at: DateTime, now: DateTime) -> Timer | None:
    """The latest due reminder, unless the target itself has already passed."""
    if due_at <= now:
        return None
    return max(reminders, key=lambda t: (t.fraction or 0.0, as_instant(t.fire_at)), default=None)


def _superseded(
    request: SupportRequest, track: SlaTrack, reminder: Timer, policy: SlaPolicy, now: DateTime
) -> bool:
    """A later reminder of the same clock is already due: it alone should speak."""
    created = as_instant(request.created_at)
    paused = timedelta(seconds=request.resolution_paused_seconds)
    for fraction in policy.reminder_fractions:
        if fraction <= (reminder.fraction or 0.0):
            continue
        if track is FIRST_RESPONSE:
            at = policy.fraction_instant(Priority(request.priority), created, fraction)
        else:
            at = policy.resolution_fraction_instant(created, fraction, paused)
        if at <= now:
            return True
    return False


def _notice(
    decision: Decision,
    kind: NoticeKind,
    request: SupportRequest,
    timers: Sequence[Timer],
    due_at: DateTime,
    fraction: float | None = None,
) -> None:
    ids = tuple(t.id for t in timers if t.id is not None)
    decision.notices.append(
        Notice(kind=kind, request=request, timer_ids=ids, due_at=due_at, fraction=fraction)
    )
