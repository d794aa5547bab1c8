"""Messages people write in a request's conversation, and what the desk makes of them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from pendulum import DateTime

from bot.domain.intake import opens_another_issue
from bot.domain.model import Request
from bot.domain.requests import RequestStatus
from bot.domain.transitions import engineer_replied
from bot.logs import log_fields
from bot.metrics import FIRST_RESPONSES
from bot.services.changes import customer_replied, is_desk_member
from bot.services.clocks import reschedule
from bot.services.desk import Desk
from bot.services.outages import after_first_response
from bot.services.pings import supersede

log = logging.getLogger(__name__)


class ReplyOutcome(StrEnum):
    """What a thread reply meant for its request."""

    NOT_A_REQUEST = "not_a_request"
    FIRST_RESPONSE = "first_response"
    ENGINEER_UPDATE = "engineer_update"
    # On the triage card of a request the customer follows in a shared channel: not an answer.
    INTERNAL_NOTE = "internal_note"
    REQUESTER_REPLY = "requester_reply"
    ANOTHER_ISSUE = "another_issue"
    AFTER_RESOLVED = "after_resolved"
    OTHER = "other"


@dataclass(frozen=True)
class Reply:
    """One human message in a thread."""

    channel_id: str
    thread_ts: str
    ts: str
    user_id: str
    text: str
    at: DateTime


@dataclass(frozen=True)
class ReplyResult:
    outcome: ReplyOutcome
    request: Request | None = None


def record_reply(desk: Desk, *, reply: Reply) -> ReplyResult:
    """Stop the first-response clock, resume a clock waiting on the requester, spot new issues.

    A reply in a thread the conversation has moved away from counts as much as one in the
    thread it lives in now. For a request filed from a shared channel, the customer's thread
    is the conversation and the triage card's thread is for the desk's internal notes.
    """
    with desk.db.unit_of_work() as uow:
        found = uow.requests.by_conversation(reply.channel_id, reply.thread_ts)
    if found is None:
        return ReplyResult(ReplyOutcome.NOT_A_REQUEST)
    if not found.is_open:
        return ReplyResult(ReplyOutcome.AFTER_RESOLVED, found)
    if not is_desk_member(desk, reply.user_id):
        return _requester_reply(desk, found, reply)
    if _internal(found, reply):
        return ReplyResult(ReplyOutcome.INTERNAL_NOTE, found)
    return _desk_reply(desk, found.id, reply)


def _internal(request: Request, reply: Reply) -> bool:
    """A desk member writing on the triage card of a customer-thread request (§11).

    The customer never sees the card's thread: only a reply in their own thread answers them.
    """
    thread = request.customer_thread
    return thread is not None and (reply.channel_id, reply.thread_ts) != (
        thread.channel_id,
        thread.ts,
    )


def _desk_reply(desk: Desk, request_id: int, reply: Reply) -> ReplyResult:
    """A desk member's reply: the first one is the first response."""
    with desk.db.unit_of_work() as uow:
        request = uow.requests.lock(request_id)
        assert request is not None
        replied, first = engineer_replied(request, user_id=reply.user_id, at=reply.at)
        outcome = ReplyOutcome.FIRST_RESPONSE if first else ReplyOutcome.ENGINEER_UPDATE
        if first or replied.is_critical:
            # Stops the first-response clock, or restarts a Critical's update cadence.
            replied = reschedule(uow, request=replied, policy=desk.policy, now=desk.clock.now())
        else:
            uow.requests.save(replied)
        uow.events.append(
            replied.id, outcome.value, at=reply.at, actor_id=reply.user_id, data={"ts": reply.ts}
        )
    if first:
        _count_first_response(replied, at=reply.at)
        desk.messenger.refresh(replied)
        supersede(desk, request_id=replied.id, answered_by=reply.user_id)
        after_first_response(desk, replied)
    return ReplyResult(outcome, replied)


def _count_first_response(request: Request, *, at: DateTime) -> None:
    """On time when it came by the request's first-response due instant, else late."""
    outcome = "on_time" if at <= request.first_response_due_at else "late"
    FIRST_RESPONSES.labels(request.priority.value, outcome).inc()
    log.info("first response to %s (%s)", request.key, outcome, extra=log_fields(request))


def _requester_reply(desk: Desk, request: Request, reply: Reply) -> ReplyResult:
    if opens_another_issue(reply.text):
        return ReplyResult(ReplyOutcome.ANOTHER_ISSUE, request)
    if reply.user_id != request.requester_id:
        return ReplyResult(ReplyOutcome.OTHER, request)
    if request.status is RequestStatus.WAITING_ON_CUSTOMER:
        # The answer the desk was waiting for: the same as pressing "Customer replied".
        request = customer_replied(desk, request_id=request.id, user_id=reply.user_id).request
    return ReplyResult(ReplyOutcome.REQUESTER_REPLY, request)
