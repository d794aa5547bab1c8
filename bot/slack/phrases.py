"""The state word beside a due instant on surfaces redrawn when shown: 'overdue', and so on.

Posted messages (root messages, confirmations) never carry one: they show date tokens only,
so nothing in them goes stale. Ephemeral answers and the App Home are drawn afresh each time,
and a state word there stays true until the next redraw, unlike "in 45 min".
"""

from __future__ import annotations

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.sla import SlaClock, SlaPolicy, clock_for

OVERDUE = "overdue"
STANDS_STILL = "desk closed: clock stands still"


def clock_state(request: Request, *, policy: SlaPolicy, now: DateTime) -> str:
    """How the clock a request line shows stands at `now` ('' when there is nothing to add).

    That clock is the first response until it is answered, then the resolution. A breached
    clock already carries its breach mark, and a clock that does not run says nothing.
    """
    if not request.is_open:
        return ""
    if request.first_responded_at is None:
        if request.breached_at is not None:
            return ""
        due, clock = request.first_response_due_at, clock_for(request.priority)
    else:
        if request.resolution_due_at is None or request.resolution_breached_at is not None:
            return ""
        if not request.resolution_counts:
            return ""
        # Resolution runs on business time for every impact.
        due, clock = request.resolution_due_at, SlaClock.BUSINESS
    if now >= due:
        return OVERDUE
    if clock is SlaClock.BUSINESS and not policy.open_at(now):
        return STANDS_STILL
    return ""
