"""Short time phrases shown beside requests: 'in 45 min', 'overdue by 5 min'."""

from __future__ import annotations

from datetime import timedelta

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.requests import Priority, RequestStatus
from bot.domain.sla import SlaPolicy, format_duration


def due_phrase(request: Request, *, policy: SlaPolicy, now: DateTime) -> str:
    """How the first-response clock stands for a reader, right now."""
    if request.status == RequestStatus.RESOLVED:
        return "resolved"
    if request.first_responded_at is not None:
        return "answered"
    own = policy.under(request.terms)
    left = own.remaining(request.priority, request.created_at, now)
    return time_left_phrase(left, open_now=policy.open_at(now), priority=request.priority)


def time_left_phrase(left: timedelta, *, open_now: bool, priority: str) -> str:
    """'in 45 min', 'overdue by 5 min', with a hint when the business clock stands still."""
    if left <= timedelta(0):
        return f"overdue by {format_duration(-left)}"
    paused = "" if open_now or priority == Priority.CRITICAL else " of business time (desk closed)"
    return f"in {format_duration(left)}{paused}"
