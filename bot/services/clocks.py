"""Turn a request's SLA clocks into durable timer rows.

Every change that moves a clock bumps the request's version, cancels what was pending and
schedules afresh; a timer of an older version that still fires finds itself stale.
"""

from __future__ import annotations

from datetime import timedelta

from pendulum import DateTime
from sqlmodel import Session

from bot.db.models import SupportRequest, TimerKind
from bot.db.repositories import cancel_timers, schedule_timer
from bot.domain.instants import as_instant as _at
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import CRITICAL_UPDATE_INTERVAL, SlaClock, SlaPolicy, clock_for
from bot.services.timer_rules import resolution_counts

# Escalations of a breach that already happened, and the posting of a conversation not yet
# open, are not clock timers: no change of the request's clocks cancels them.
CLOCK_TIMERS = tuple(
    kind.value
    for kind in TimerKind
    if kind
    not in (
        TimerKind.BREACH_ESCALATION,
        TimerKind.RESOLUTION_ESCALATION,
        TimerKind.PUBLISH_CONVERSATION,
    )
)


def reschedule(
    session: Session, *, request: SupportRequest, policy: SlaPolicy, now: DateTime
) -> None:
    """Bump the request's version and schedule every timer its clocks now call for."""
    request.version += 1
    request.updated_at = now
    session.add(request)
    session.flush()
    cancel_timers(session, request_id=_id(request), kinds=CLOCK_TIMERS)
    _schedule_first_response(session, request, policy, now)
    _schedule_resolution(session, request, policy, now)
    _schedule_update_nudge(session, request, now)


def first_response_due(request: SupportRequest, policy: SlaPolicy) -> DateTime:
    """The first-response due instant for the request's current impact."""
    return policy.first_response_due(Priority(request.priority), _at(request.created_at))


def _schedule_first_response(
    session: Session, request: SupportRequest, policy: SlaPolicy, now: DateTime
) -> None:
    if request.first_responded_at is not None or request.status == RequestStatus.RESOLVED:
        return
    priority = Priority(request.priority)
    created = _at(request.created_at)
    business = clock_for(priority) is SlaClock.BUSINESS
    for fraction, at in policy.reminder_instants(priority, created):
        if at > now:
            ping_at = _open_instant(policy, at) if business else at
            _add(session, request, TimerKind.FIRST_RESPONSE_REMINDER, ping_at, now, fraction)
    if request.breached_at is None:
        due = _at(request.first_response_due_at)
        _add(session, request, TimerKind.FIRST_RESPONSE_BREACH, max(due, now), now)


def _schedule_resolution(
    session: Session, request: SupportRequest, policy: SlaPolicy, now: DateTime
) -> None:
    if not resolution_counts(request):
        return
    created = _at(request.created_at)
    paused = timedelta(seconds=request.resolution_paused_seconds)
    due = policy.resolution_due(created, paused)
    request.resolution_due_at = due
    for fraction in policy.reminder_fractions:
        at = policy.resolution_fraction_instant(created, fraction, paused)
        if at > now:
            ping_at = _open_instant(policy, at)
            _add(session, request, TimerKind.RESOLUTION_REMINDER, ping_at, now, fraction)
    if request.resolution_breached_at is None:
        _add(session, request, TimerKind.RESOLUTION_BREACH, max(due, now), now)


def _schedule_update_nudge(session: Session, request: SupportRequest, now: DateTime) -> None:
    if (
        request.priority != Priority.CRITICAL
        or request.first_responded_at is None
        or request.status == RequestStatus.RESOLVED
    ):
        return
    last = _at(request.last_engineer_reply_at or request.first_responded_at)
    _add(
        session, request, TimerKind.CRITICAL_UPDATE, max(last + CRITICAL_UPDATE_INTERVAL, now), now
    )


def _open_instant(policy: SlaPolicy, at: DateTime) -> DateTime:
    """A business-clock ping that lands on a closing (or in a holiday) waits for the opening."""
    return policy.calendar.next_opening(at)


def _add(
    session: Session,
    request: SupportRequest,
    kind: TimerKind,
    at: DateTime,
    now: DateTime,
    fraction: float | None = None,
) -> None:
    schedule_timer(
        session,
        request_id=_id(request),
        kind=kind.value,
        fire_at=at,
        request_version=request.version,
        fraction=fraction,
        now=now,
    )


def _id(request: SupportRequest) -> int:
    assert request.id is not None, "request must be flushed before scheduling"
    return request.id
