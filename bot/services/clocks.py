"""Turn a request's timer plan into durable timer rows."""

from __future__ import annotations

from pendulum import DateTime

from bot.db.uow import UnitOfWork
from bot.domain.model import Request
from bot.domain.sla import SlaPolicy
from bot.domain.timer_kinds import CLOCK_KINDS
from bot.domain.timer_plan import plan_timers


def reschedule(uow: UnitOfWork, *, request: Request, policy: SlaPolicy, now: DateTime) -> Request:
    """Bump the version, save the request, and replace its clock timers with the plan."""
    plan = plan_timers(
        request.but(version=request.version + 1, updated_at=now), policy=policy, now=now
    )
    request = plan.request
    uow.requests.save(request)
    uow.timers.cancel(request_id=request.id, kinds=CLOCK_KINDS)
    for timer in plan.timers:
        uow.timers.schedule(
            request_id=request.id,
            kind=timer.kind,
            at=timer.at,
            version=request.version,
            fraction=timer.fraction,
            now=now,
        )
    return request
