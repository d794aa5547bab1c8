"""Filing a request: store it once, schedule its clocks, open its conversation."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pendulum import DateTime
from pydantic import BaseModel, Field

from bot.db.models import SupportRequest
from bot.db.repositories import (
    add_request,
    append_event,
    attach_request,
    claim_key,
    get_request,
    key_request_id,
    project_assignee,
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

log = logging.getLogger(__name__)


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
    """Store the request once per Slack delivery, then open its conversation."""
    stored = _store(desk, draft=draft, delivery_key=delivery_key)
    if stored.duplicate or stored.request.thread_ts is not None:
        return stored
    return Filed(request=open_conversation(desk, request=stored.request), duplicate=False)


def open_conversation(desk: Desk, *, request: SupportRequest) -> SupportRequest:
    """Post the root message and remember where the conversation lives."""
    ref = desk.messenger.publish(request)
    with desk.db.session() as session:
        fresh = get_request(session, request.id or 0)
        assert fresh is not None
        fresh.slack_channel_id = ref.channel_id
        fresh.thread_ts = ref.ts
        session.add(fresh)
        return fresh


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
