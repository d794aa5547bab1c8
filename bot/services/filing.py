"""Filing a request: store it once, schedule its clocks, open its conversation."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from pendulum import DateTime
from pydantic import BaseModel, Field
from sqlmodel import Session

from bot.db.models import SupportRequest, TimerKind, TimerState
from bot.db.repositories import (
    add_request,
    append_event,
    attach_request,
    claim_key,
    finish_timer,
    get_request,
    key_request_id,
    lock_request,
    project_assignee,
    release_timer,
    schedule_timer,
    take_timer,
)
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.services.clocks import first_response_due, reschedule
from bot.services.desk import Desk
from bot.services.errors import NotFound
from bot.services.ports import ConversationRef
from bot.services.timers import LEASE

log = logging.getLogger(__name__)

PUBLISH = TimerKind.PUBLISH_CONVERSATION.value
# Filing posts the root message at once; the scheduler posts it only when that try failed,
# or died with its worker, and never sooner than this after filing.
PUBLISH_GRACE = timedelta(seconds=60)


class RequestDraft(BaseModel):
    """What a requester filed, before it becomes a request."""

    team_id: str
    requester_id: str
    requester_name: str = ""
    subject: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1)
    priority: Priority
    intake_channel: IntakeChannel
    area: AffectedArea = AffectedArea.OTHER
    contact: ContactPreference = ContactPreference.THREAD
    project: str | None = None
    kind: RequestKind = RequestKind.PROBLEM
    incident_id: str | None = None


@dataclass(frozen=True)
class Filed:
    """The outcome of filing: the request, and whether this delivery was a repeat."""

    request: SupportRequest
    duplicate: bool


def file_request(desk: Desk, *, draft: RequestDraft, delivery_key: str) -> Filed:
    """Store the request once per Slack delivery, then try to open its conversation at once.

    The request is filed even when Slack fails: its conversation then opens from the
    scheduler, and the returned request has no `thread_ts` yet.
    """
    stored = _store(desk, draft=draft, delivery_key=delivery_key)
    if stored.duplicate or stored.request.thread_ts is not None:
        return stored
    return Filed(request=try_open_conversation(desk, request=stored.request), duplicate=False)


def record_conversation(desk: Desk, *, request_id: int, ref: ConversationRef) -> SupportRequest:
    """Remember where a request's conversation lives, once its root message is posted."""
    with desk.db.session() as session:
        return _store_conversation(session, request_id, ref, now=desk.clock.now())


def open_conversation(desk: Desk, *, request: SupportRequest) -> SupportRequest:
    """Post the root message and remember where the conversation lives (moves it, if open)."""
    ref = desk.messenger.publish(request)
    with desk.db.session() as session:
        fresh = get_request(session, request.id or 0)
        assert fresh is not None
        fresh.slack_channel_id = ref.channel_id
        fresh.thread_ts = ref.ts
        session.add(fresh)
        return fresh


def try_open_conversation(desk: Desk, *, request: SupportRequest) -> SupportRequest:
    """Post the root message now, holding its publish timer so the scheduler cannot post too.

    Returns the request as it stands: without `thread_ts` when the scheduler holds the
    timer, or when the post failed and the timer was handed back to it.
    """
    taker = f"filing:{uuid.uuid4().hex}"
    with desk.db.session() as session:
        timer = take_timer(
            session,
            request_id=request.id or 0,
            kind=PUBLISH,
            worker_id=taker,
            now=desk.clock.now(),
            lease=desk.clock.stretch(LEASE),
        )
    if timer is None or timer.id is None:
        log.info("the scheduler is opening the conversation of %s", request.key)
        return request
    try:
        ref = desk.messenger.publish(request)
    except Exception as error:
        # The port fails in whatever way Slack does. The request is filed all the same.
        _hand_back(desk, request, timer_id=timer.id, taker=taker, error=error)
        return request
    now = desk.clock.now()
    with desk.db.session() as session:
        opened = _store_conversation(session, request.id or 0, ref, now=now)
        finish_timer(
            session, timer_id=timer.id, worker_id=taker, state=TimerState.DONE.value, now=now
        )
    return opened


def _hand_back(
    desk: Desk, request: SupportRequest, *, timer_id: int, taker: str, error: Exception
) -> None:
    """Give the publish timer back, so the scheduler posts the root message after the grace."""
    reason = f"{type(error).__name__}: {error}"
    log.warning(
        "could not open the conversation of %s (%s); the scheduler retries",
        request.key,
        reason,
        exc_info=True,
    )
    with desk.db.session() as session:
        release_timer(
            session, timer_id=timer_id, retry_at=desk.clock.now(), worker_id=taker, error=reason
        )


def _store_conversation(
    session: Session, request_id: int, ref: ConversationRef, *, now: DateTime
) -> SupportRequest:
    request = lock_request(session, request_id)
    if request is None:
        raise NotFound("That request no longer exists.")
    if request.thread_ts is not None:
        if (request.slack_channel_id, request.thread_ts) != (ref.channel_id, ref.ts):
            log.warning("%s already has a conversation; root %s left unlinked", request.key, ref)
        return request
    request.slack_channel_id = ref.channel_id
    request.thread_ts = ref.ts
    session.add(request)
    append_event(
        session,
        request_id=request_id,
        at=now,
        kind="conversation_opened",
        data={"channel": ref.channel_id, "ts": ref.ts},
    )
    return request


def _store(desk: Desk, *, draft: RequestDraft, delivery_key: str) -> Filed:
    now = desk.clock.now()
    with desk.db.session() as session:
        if not claim_key(session, key=delivery_key, scope="filing", now=now):
            existing = key_request_id(session, delivery_key)
            request = get_request(session, existing) if existing is not None else None
            if request is None:
                raise RuntimeError(f"delivery {delivery_key} is being filed by another worker")
            return Filed(request=request, duplicate=True)
        request = _new_request(draft, now=now)
        if draft.project:
            request.assignee_id = project_assignee(
                session, team_id=draft.team_id, project=draft.project
            )
            if request.assignee_id:
                request.status = RequestStatus.IN_PROGRESS.value
        request.first_response_due_at = first_response_due(request, desk.policy)
        add_request(session, request)
        attach_request(session, key=delivery_key, request_id=request.id or 0)
        reschedule(session, request=request, policy=desk.policy, now=now)
        schedule_timer(
            session,
            request_id=request.id or 0,
            kind=PUBLISH,
            fire_at=now + desk.clock.stretch(PUBLISH_GRACE),
            request_version=request.version,
            now=now,
        )
        append_event(
            session,
            request_id=request.id,
            at=now,
            kind="filed",
            actor_id=draft.requester_id,
            data={"priority": draft.priority.value, "intake": draft.intake_channel.value},
        )
    log.info("filed %s (%s, %s)", request.key, draft.priority.value, draft.intake_channel.value)
    return Filed(request=request, duplicate=False)


def _new_request(draft: RequestDraft, *, now: DateTime) -> SupportRequest:
    return SupportRequest(
        team_id=draft.team_id,
        requester_id=draft.requester_id,
        requester_name=draft.requester_name,
        subject=draft.subject.strip(),
        description=draft.description.strip(),
        priority=draft.priority.value,
        intake_channel=draft.intake_channel.value,
        area=draft.area.value,
        contact=draft.contact.value,
        project=draft.project.strip() if draft.project else None,
        kind=draft.kind.value,
        status=RequestStatus.NEW.value,
        incident_id=draft.incident_id,
        created_at=now,
        updated_at=now,
    )
