"""Filing a request: store it once per delivery, plan its clocks, open its conversation."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pendulum import DateTime
from pydantic import BaseModel, Field, model_validator

from bot.db.engine import database_unavailable
from bot.db.uow import UnitOfWork
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.domain.sla import SlaPolicy
from bot.logs import log_fields
from bot.metrics import REQUESTS_FILED
from bot.services.clocks import reschedule
from bot.services.conversations import open_conversation, owe_conversation
from bot.services.desk import Desk

log = logging.getLogger(__name__)


class RequestDraft(BaseModel):
    """What a requester filed, before it becomes a request."""

    team_id: str
    requester_id: str
    requester_name: str = ""
    requester_contact: str | None = Field(default=None, max_length=254)
    subject: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1)
    priority: Priority
    intake_channel: IntakeChannel
    area: AffectedArea = AffectedArea.OTHER
    contact: ContactPreference = ContactPreference.THREAD
    project: str | None = None
    kind: RequestKind = RequestKind.PROBLEM
    incident_id: str | None = None
    # A customer organisation's request (§11): its account, and when it was filed from a
    # shared channel, the customer's thread there (the thread of their top-level message).
    account_id: int | None = None
    customer_channel_id: str | None = Field(default=None, max_length=32)
    customer_thread_ts: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _whole_thread(self) -> RequestDraft:
        if (self.customer_channel_id is None) != (self.customer_thread_ts is None):
            raise ValueError("a customer thread needs both its channel and its ts")
        return self

    @property
    def customer_thread(self) -> ConversationRef | None:
        """The customer's thread in the shared channel, when filed from one."""
        if self.customer_channel_id and self.customer_thread_ts:
            return ConversationRef(self.customer_channel_id, self.customer_thread_ts)
        return None


@dataclass(frozen=True)
class Filed:
    """The outcome of filing: the request, and whether this delivery was a repeat."""

    request: Request
    duplicate: bool


def file_request(desk: Desk, *, draft: RequestDraft, delivery_key: str) -> Filed:
    """Store the request once per Slack delivery, then try to open its conversation at once.

    The request is filed even when Slack or, once it is stored, the database fails: its
    conversation then opens from the scheduler, and the returned request has none yet.
    """
    stored = _store(desk, draft=draft, delivery_key=delivery_key)
    if stored.duplicate or not stored.request.conversation_pending:
        return stored
    try:
        return Filed(request=open_conversation(desk, request_id=stored.request.id), duplicate=False)
    except Exception as error:
        if not database_unavailable(error):
            raise
        # Stored with its root owed: no apology (the person would file it twice).
        log.warning(
            "%s is filed; its conversation opens later: the database is unavailable",
            stored.request.key,
            extra=log_fields(stored.request),
        )
        return stored


def _store(desk: Desk, *, draft: RequestDraft, delivery_key: str) -> Filed:
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        if not uow.keys.claim(delivery_key, scope="filing", now=now):
            return Filed(request=_already_filed(uow, delivery_key), duplicate=True)
        thread = draft.customer_thread
        if thread is not None and (earlier := _filed_from(uow, thread, now=now)) is not None:
            # Another path (the impact prompt, the modal, a retry) filed this thread first.
            uow.keys.attach(delivery_key, earlier.id)
            return Filed(request=earlier, duplicate=True)
        request = _insert(uow, desk, draft=draft, delivery_key=delivery_key, now=now)
    REQUESTS_FILED.labels(draft.priority.value, draft.intake_channel.value).inc()
    log.info(
        "filed %s (%s, %s)",
        request.key,
        draft.priority.value,
        draft.intake_channel.value,
        extra=log_fields(request),
    )
    return Filed(request=request, duplicate=False)


def _insert(
    uow: UnitOfWork, desk: Desk, *, draft: RequestDraft, delivery_key: str, now: DateTime
) -> Request:
    """The new request, its clocks, its owed conversation and its customer thread."""
    draft = draft.model_copy(update={"incident_id": _known_incident(uow, desk, draft)})
    request = uow.requests.add(_new_request(uow, draft, policy=desk.policy, now=now))
    uow.keys.attach(delivery_key, request.id)
    thread = draft.customer_thread
    if thread is not None:
        uow.keys.attach(_thread_key(thread), request.id)
        # Replies in the customer's thread are the conversation: found like the card's.
        uow.requests.record_thread(request.id, thread, now)
    request = reschedule(uow, request=request, policy=desk.policy, now=now)
    owe_conversation(uow, desk=desk, request=request, now=now)
    data: dict[str, object] = {
        "priority": draft.priority.value,
        "intake": draft.intake_channel.value,
    }
    if draft.account_id is not None:
        data["account"] = draft.account_id
    uow.events.append(request.id, "filed", at=now, actor_id=draft.requester_id, data=data)
    return request


def _thread_key(thread: ConversationRef) -> str:
    return f"customer-thread:{thread.channel_id}:{thread.ts}"


def _filed_from(uow: UnitOfWork, thread: ConversationRef, *, now: DateTime) -> Request | None:
    """The request already filed from this customer thread, if any.

    Claiming the thread's key first makes a concurrent filing of the same thread wait for
    this transaction, so it then finds the request instead of tripping the unique index.
    """
    uow.keys.claim(_thread_key(thread), scope="filing", now=now)
    return uow.requests.by_customer_thread(thread.channel_id, thread.ts)


def _known_incident(uow: UnitOfWork, desk: Desk, draft: RequestDraft) -> str | None:
    """The linked incident, if the desk knows it: a crafted submission links nothing."""
    wanted = draft.incident_id
    if not (wanted and desk.vendor_status and uow.status.tracked([wanted])):
        return None
    return wanted


def _already_filed(uow: UnitOfWork, delivery_key: str) -> Request:
    existing = uow.keys.request_of(delivery_key)
    request = uow.requests.get(existing) if existing is not None else None
    if request is None:
        raise RuntimeError(f"delivery {delivery_key} is being filed by another worker")
    return request


def _new_request(
    uow: UnitOfWork, draft: RequestDraft, *, policy: SlaPolicy, now: DateTime
) -> Request:
    """The request as filed, under the policy's terms of today (its snapshot)."""
    project = draft.project.strip() if draft.project else None
    # Critical always pages on-call: project routing never hands it to one engineer.
    assignee = None
    if project and not draft.priority.is_critical:
        assignee = uow.requests.project_assignee(team_id=draft.team_id, project=project)
    return Request(
        team_id=draft.team_id,
        requester_id=draft.requester_id,
        requester_name=draft.requester_name,
        requester_contact=draft.requester_contact,
        subject=draft.subject.strip(),
        description=draft.description.strip(),
        priority=draft.priority,
        intake_channel=draft.intake_channel,
        area=draft.area,
        contact=draft.contact,
        project=project,
        kind=draft.kind,
        status=RequestStatus.IN_PROGRESS if assignee else RequestStatus.NEW,
        assignee_id=assignee,
        incident_id=draft.incident_id,
        account_id=draft.account_id,
        customer_channel_id=draft.customer_channel_id,
        customer_thread_ts=draft.customer_thread_ts,
        created_at=now,
        updated_at=now,
        first_response_due_at=policy.first_response_due(draft.priority, now),
        terms=policy.terms,
    )
