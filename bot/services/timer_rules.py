"""What due timers mean for their request right now: notify, collapse, or drop.

After downtime several timers of one request can come due together; only the newest
relevant notice per clock is said (a breach swallows the pings before it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pendulum import DateTime

from bot.db.models import SupportRequest, Timer, TimerKind
from bot.domain.instants import as_instant
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import CRITICAL_UPDATE_INTERVAL, SlaPolicy
from bot.services.notices import Notice, NoticeKind


@dataclass
class Decision:
    """The notices to send, the timers to drop, and the timers to schedule next."""

    notices: list[Notice] = field(default_factory=list)
    skipped: list[Timer] = field(default_factory=list)
    follow_ups: list[tuple[TimerKind, DateTime]] = field(default_factory=list)


FIRST_RESPONSE = (TimerKind.FIRST_RESPONSE_REMINDER, TimerKind.FIRST_RESPONSE_BREACH)
RESOLUTION = (TimerKind.RESOLUTION_REMINDER, TimerKind.RESOLUTION_BREACH)
ESCALATIONS = {
    TimerKind.BREACH_ESCALATION: NoticeKind.BREACH_ESCALATION,
    TimerKind.RESOLUTION_ESCALATION: NoticeKind.RESOLUTION_ESCALATION,
}
REMINDERS = (TimerKind.FIRST_RESPONSE_REMINDER, TimerKind.RESOLUTION_REMINDER)


def decide_for_request(
    request: SupportRequest, timers: Sequence[Timer], *, policy: SlaPolicy, now: DateTime
) -> Decision:
    """Decide, under the request's lock, what its due timers should do."""
    decision = Decision()
    live = [t for t in timers if _still_relevant(request, t)]
    decision.skipped.extend(t for t in timers if t not in live)
    _first_response(request, [t for t in live if t.kind in FIRST_RESPONSE], policy, now, decision)
    _resolution(request, [t for t in live if t.kind in RESOLUTION], policy, now, decision)
    _updates(request, [t for t in live if t.kind == TimerKind.CRITICAL_UPDATE], now, decision)
    for timer in live:
        if timer.kind in ESCALATIONS:
            kind = ESCALATIONS[TimerKind(timer.kind)]
            _notice(decision, kind, request, [timer], as_instant(timer.fire_at))
    return decision


def _still_relevant(request: SupportRequest, timer: Timer) -> bool:
    """A timer of an older version, or of a request past that clock, does nothing."""
    if timer.kind in ESCALATIONS:
        return True  # a breach that happened is escalated, whatever came after it
    if timer.request_version != request.version or request.status == RequestStatus.RESOLVED:
        return False
    kind = TimerKind(timer.kind)
    if kind in FIRST_RESPONSE:
        return request.first_responded_at is None
    if kind in RESOLUTION:
        return request.status not in (
            RequestStatus.WAITING_ON_CUSTOMER,
            RequestStatus.ESCALATED_TO_DEVELOPMENT,
        )
    return request.priority == Priority.CRITICAL and request.first_responded_at is not None


def _first_response(
    request: SupportRequest,
    timers: list[Timer],
    policy: SlaPolicy,
    now: DateTime,
    decision: Decision,
) -> None:
    if not timers:
        return
    due = as_instant(request.first_response_due_at)
    breach = [t for t in timers if t.kind == TimerKind.FIRST_RESPONSE_BREACH]
    if breach:
        if request.breached_at is None:
            request.breached_at = due
        _notice(decision, NoticeKind.BREACH, request, timers, due)
        decision.follow_ups.append((TimerKind.BREACH_ESCALATION, due))
        return
    keep = _newest_reminder(timers, due, now)
    if keep is None or _superseded(request, keep, policy, now, paused=None):
        decision.skipped.extend(timers)  # a later timer will speak for the request
        return
    decision.skipped.extend(t for t in timers if t is not keep)
    _notice(decision, NoticeKind.REMINDER, request, [keep], due, keep.fraction)


def _resolution(
    request: SupportRequest,
    timers: list[Timer],
    policy: SlaPolicy,
    now: DateTime,
    decision: Decision,
) -> None:
    if not timers or request.resolution_due_at is None:
        decision.skipped.extend(timers)
        return
    due = as_instant(request.resolution_due_at)
    breach = [t for t in timers if t.kind == TimerKind.RESOLUTION_BREACH]
    if breach:
        if request.resolution_breached_at is None:
            request.resolution_breached_at = due
        _notice(decision, NoticeKind.RESOLUTION_BREACH, request, timers, due)
        decision.follow_ups.append((TimerKind.RESOLUTION_ESCALATION, due))
        return
    keep = _newest_reminder(timers, due, now)
    paused = timedelta(seconds=request.resolution_paused_seconds)
    if keep is None or _superseded(request, keep, policy, now, paused=paused):
        decision.skipped.extend(timers)
        return
    decision.skipped.extend(t for t in timers if t is not keep)
    _notice(decision, NoticeKind.RESOLUTION_REMINDER, request, [keep], due, keep.fraction)


def _updates(
    request: SupportRequest, timers: list[Timer], now: DateTime, decision: Decision
) -> None:
    if not timers:
        return
    latest = max(timers, key=lambda t: as_instant(t.fire_at))
    decision.skipped.extend(t for t in timers if t is not latest)
    fired = as_instant(latest.fire_at)
    _notice(decision, NoticeKind.UPDATE_DUE, request, [latest], fired + CRITICAL_UPDATE_INTERVAL)
    # Keep the cadence; after downtime restart it from now rather than replaying the gap.
    following = fired + CRITICAL_UPDATE_INTERVAL
    if following <= now:
        following = now + CRITICAL_UPDATE_INTERVAL
    decision.follow_ups.append((TimerKind.CRITICAL_UPDATE, following))


def _newest_reminder(timers: list[Timer], due: DateTime, now: DateTime) -> Timer | None:
    """The latest due reminder, unless the target itself has already passed."""
    if due <= now:
        return None
    reminders = [t for t in timers if t.kind in REMINDERS]
    return max(reminders, key=lambda t: (t.fraction or 0.0, as_instant(t.fire_at)), default=None)


def _superseded(
    request: SupportRequest,
    reminder: Timer,
    policy: SlaPolicy,
    now: DateTime,
    *,
    paused: timedelta | None,
) -> bool:
    """A later reminder of the same clock is already due: it alone should speak."""
    created = as_instant(request.created_at)
    for fraction in policy.reminder_fractions:
        if fraction <= (reminder.fraction or 0.0):
            continue
        if paused is None:
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
    due: DateTime,
    fraction: float | None = None,
) -> None:
    ids = tuple(t.id for t in timers if t.id is not None)
    decision.notices.append(
        Notice(kind=kind, request=request, timer_ids=ids, due_at=due, fraction=fraction)
    )
