"""Which clock timers a request should have now, from its state and its own terms.

The service cancels the request's pending clock timers and schedules this plan whenever a
change moves its clocks (bumping its version), so a timer of an older version is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.requests import RequestStatus
from bot.domain.sla import SlaClock, SlaPolicy, clock_for
from bot.domain.timer_kinds import TimerKind


@dataclass(frozen=True)
class PlannedTimer:
    """A timer the request should have: its kind, instant and reminder fraction."""

    kind: TimerKind
    at: DateTime
    fraction: float | None = None


@dataclass(frozen=True)
class Plan:
    """The request with its resolution due brought up to date, and its clock timers."""

    request: Request
    timers: tuple[PlannedTimer, ...]


def expects_updates(request: Request) -> bool:
    """A Critical owes the customer updates from its first response until resolved, unless
    the desk is waiting on the customer or Development has it: then nobody is nudged."""
    quiet = (RequestStatus.RESOLVED, RequestStatus.WAITING_ON_CUSTOMER)
    return (
        request.is_critical
        and request.first_responded_at is not None
        and request.status not in quiet
        and not request.with_development
    )


def next_update_at(last: DateTime, *, now: DateTime, interval: timedelta) -> DateTime:
    """When a Critical's next update nudge is due: `interval` after the last update.

    Overdue (after downtime) it is a whole interval from now: the cadence restarts rather
    than replaying the gap. Planning and the due-timer rules both ask this one function.
    """
    due = last + interval
    return due if due > now else now + interval


def plan_timers(request: Request, *, policy: SlaPolicy, now: DateTime) -> Plan:
    """The clock timers for `request` at `now` under its own terms and the live calendar."""
    own = policy.under(request.terms)
    request, resolution = _resolution(request, own, now)
    timers = (*_first_response(request, own, now), *resolution, *_update_nudge(request, now))
    return Plan(request=request, timers=timers)


def _first_response(request: Request, policy: SlaPolicy, now: DateTime) -> list[PlannedTimer]:
    if request.first_responded_at is not None or not request.is_open:
        return []
    business = clock_for(request.priority) is SlaClock.BUSINESS
    timers = [
        PlannedTimer(
            TimerKind.FIRST_RESPONSE_REMINDER,
            policy.calendar.next_opening(at) if business else at,
            fraction,
        )
        for fraction, at in policy.reminder_instants(request.priority, request.created_at)
        if at > now
    ]
    if request.breached_at is None:
        due = max(request.first_response_due_at, now)
        timers.append(PlannedTimer(TimerKind.FIRST_RESPONSE_BREACH, due))
    return timers


def _resolution(
    request: Request, policy: SlaPolicy, now: DateTime
) -> tuple[Request, list[PlannedTimer]]:
    if not request.resolution_counts:
        return request, []
    paused = timedelta(seconds=request.resolution_paused_seconds)
    due = policy.resolution_due(request.created_at, paused)
    request = request.but(resolution_due_at=due)
    timers = []
    # One reminder, at the last fraction (80 % by default), and only to an assignee: with
    # nobody on it there is no one to remind, and the breach still reaches escalation.
    fraction = max(policy.reminder_fractions, default=None)
    if request.assignee_id and fraction is not None:
        at = policy.resolution_fraction_instant(request.created_at, fraction, paused)
        if at > now:
            opening = policy.calendar.next_opening(at)
            timers.append(PlannedTimer(TimerKind.RESOLUTION_REMINDER, opening, fraction))
    if request.resolution_breached_at is None:
        timers.append(PlannedTimer(TimerKind.RESOLUTION_BREACH, max(due, now)))
    return request, timers


def _update_nudge(request: Request, now: DateTime) -> list[PlannedTimer]:
    """Critical update nudges run from the first response until resolved."""
    last = request.last_engineer_reply_at or request.first_responded_at
    if last is None or not expects_updates(request):
        return []
    at = next_update_at(last, now=now, interval=request.terms.update_interval)
    return [PlannedTimer(TimerKind.CRITICAL_UPDATE, at)]
