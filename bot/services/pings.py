"""Group pings nobody needs any more are edited to say so, not left standing.

A ping to a whole group (nobody has the request yet, or it is Critical) is superseded by
a later ping of the same request, or by the first response. Its message is rewritten
without the mention, so a reader scrolling the channel does not answer a solved call.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef
from bot.domain.timer_kinds import TimerKind
from bot.services.desk import Desk
from bot.services.ports import DeliveryFailed
from bot.services.sending import Delivery

log = logging.getLogger(__name__)

GROUP_PING = "group_ping"
SUPERSEDED = "group_ping_superseded"
_CALLS = (TimerKind.FIRST_RESPONSE_REMINDER, TimerKind.CRITICAL_UPDATE)


def pings_a_group(notice: Notice) -> bool:
    """A reminder or nudge said to a whole group rather than to one assignee."""
    request = notice.request
    return notice.kind in _CALLS and (request.assignee_id is None or request.is_critical)


def after_delivery(desk: Desk, deliveries: Sequence[Delivery]) -> None:
    """Remember the group pings just posted; each supersedes its request's earlier ones."""
    for delivery in deliveries:
        posted = delivery.posted
        if delivery.error is None and posted is not None and pings_a_group(delivery.notice):
            request_id = delivery.notice.request.id
            with desk.db.unit_of_work() as uow:
                data = {"channel": posted.channel_id, "ts": posted.ts}
                uow.events.append(request_id, GROUP_PING, at=desk.clock.now(), data=data)
            supersede(desk, request_id=request_id, answered_by=None, keep=posted)


def supersede(
    desk: Desk, *, request_id: int, answered_by: str | None, keep: ConversationRef | None = None
) -> int:
    """Rewrite the request's standing group pings (but `keep`); returns how many."""
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
        events = uow.events.data_of(request_id, (GROUP_PING, SUPERSEDED))
        done = {data.get("ts") for kind, data in events if kind == SUPERSEDED}
        standing = [
            ConversationRef(str(data["channel"]), str(data["ts"]))
            for kind, data in events
            if kind == GROUP_PING and data.get("ts") not in done
        ]
        standing = [ref for ref in standing if ref != keep]
        for ref in standing:
            uow.events.append(request_id, SUPERSEDED, at=now, data={"ts": ref.ts})
    if request is None:
        return 0
    for ref in standing:
        try:
            desk.messenger.supersede_ping(request, ref, answered_by=answered_by, at=now)
        except DeliveryFailed as error:
            log.warning("could not mark a ping of %s superseded: %s", request.key, error)
    return len(standing)
