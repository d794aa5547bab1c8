"""Messages people write in a request's conversation, and what the desk makes of them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pendulum import DateTime
from sqlmodel import Session

from bot.db.models import SupportRequest
from bot.db.repositories import append_event, get_by_conversation, lock_request
from bot.domain.intake import opens_another_issue
from bot.domain.requests import RequestStatus
from bot.services.clocks import reschedule
from bot.services.conversation import customer_replied
from bot.services.desk import Desk


class ReplyOutcome(StrEnum):
    """What a thread reply meant for its request."""

    NOT_A_REQUEST = "not_a_request"
    FIRST_RESPONSE = "first_response"
    ENGINEER_UPDATE = "engineer_update"
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
    request: SupportRequest | None = None


def record_reply(desk: Desk, *, reply: Reply) -> ReplyResult:
    """Stop the first-response clock, resume a clock waiting on the requester, spot new issues."""
    with desk.db.session() as session:
        found = get_by_conversation(session, channel_id=reply.channel_id, thread_ts=reply.thread_ts)
        if found is None:
            return ReplyResult(ReplyOutcome.NOT_A_REQUEST)
        if found.status == RequestStatus.RESOLVED:
            return ReplyResult(ReplyOutcome.AFTER_RESOLVED, found)
        if desk.directory.is_support_engineer(reply.user_id):
            outcome, request = _record_engineer_reply(desk, session, found, reply)
        else:
            outcome, request = _requester_outcome(found, reply), found
    if outcome is ReplyOutcome.FIRST_RESPONSE:
        desk.messenger.refresh(request)
    waiting = request.status == RequestStatus.WAITING_ON_CUSTOMER
    if outcome is ReplyOutcome.REQUESTER_REPLY and waiting:
        # The answer the desk was waiting for: the same as pressing "Customer replied".
        request = customer_replied(desk, request_id=request.id or 0, user_id=reply.user_id).request
    return ReplyResult(outcome, request)


def _record_engineer_reply(
    desk: Desk, session: Session, found: SupportRequest, reply: Reply
) -> tuple[ReplyOutcome, SupportRequest]:
    request = lock_request(session, found.id or 0)
    assert request is not None
    outcome = _engineer_reply(request, reply)
    if outcome is ReplyOutcome.FIRST_RESPONSE or request.priority == "critical":
        # Stops the first-response clock, or restarts a Critical's update cadence.
        reschedule(session, request=request, policy=desk.policy, now=desk.clock.now())
    append_event(
        session,
        request_id=request.id,
        at=reply.at,
        kind=outcome.value,
        actor_id=reply.user_id,
        data={"ts": reply.ts},
    )
    return outcome, request


def _engineer_reply(request: SupportRequest, reply: Reply) -> ReplyOutcome:
    request.last_engineer_reply_at = reply.at
    if request.first_responded_at is not None:
        return ReplyOutcome.ENGINEER_UPDATE
    request.first_responded_at = reply.at
    request.first_responder_id = reply.user_id
    if request.status == RequestStatus.NEW:
        request.status = RequestStatus.IN_PROGRESS.value
    return ReplyOutcome.FIRST_RESPONSE


def _requester_outcome(request: SupportRequest, reply: Reply) -> ReplyOutcome:
    if opens_another_issue(reply.text):
        return ReplyOutcome.ANOTHER_ISSUE
    if reply.user_id == request.requester_id:
        return ReplyOutcome.REQUESTER_REPLY
    return ReplyOutcome.OTHER
