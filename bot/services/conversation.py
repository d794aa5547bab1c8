"""What engineers and requesters do to a request from its conversation's buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pendulum import DateTime
from sqlmodel import Session

from bot.db.models import SupportRequest
from bot.db.repositories import append_event, lock_request
from bot.domain.instants import as_instant
from bot.domain.requests import Priority, RequestStatus
from bot.services.clocks import first_response_due, reschedule
from bot.services.desk import Desk
from bot.services.errors import DeskError, NotAllowed, NotFound
from bot.services.filing import open_conversation


@dataclass(frozen=True)
class Change:
    """A request after a change, and the note its conversation should get (if any)."""

    request: SupportRequest
    note: str | None
    moved_from: tuple[str, str] | None = None


Mutation = Callable[[Session, SupportRequest, DateTime], str | None]


def take(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Assign the request to the support engineer who took it."""
    _require_engineer(desk, user_id)

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        _require_open(request)
        if request.assignee_id == user_id:
            return None
        request.assignee_id = user_id
        if request.status == RequestStatus.NEW:
            request.status = RequestStatus.IN_PROGRESS.value
        return f"<@{user_id}> took this request."

    return _apply(desk, request_id=request_id, actor_id=user_id, kind="taken", mutate=mutate)


def change_priority(desk: Desk, *, request_id: int, user_id: str, priority: Priority) -> Change:
    """Re-target the request from its creation instant with the new impact."""

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        _require_open(request)
        _require_engineer_or_requester(desk, request, user_id)
        old = Priority(request.priority)
        if old is priority:
            return None
        request.priority = priority.value
        request.first_response_due_at = first_response_due(request, desk.policy)
        if request.first_responded_at is None:
            request.breached_at = None
        return f"<@{user_id}> changed the impact from {old.label} to {priority.label}."

    change = _apply(
        desk, request_id=request_id, actor_id=user_id, kind="priority_changed", mutate=mutate
    )
    oncall = desk.routing.oncall_channel_id
    if change.note and priority is Priority.CRITICAL and change.request.slack_channel_id != oncall:
        return _move_to_oncall(desk, change)
    return change


def _move_to_oncall(desk: Desk, change: Change) -> Change:
    """A request raised to Critical continues in the on-call channel, where on-call watches."""
    old = change.request.model_copy()
    moved = open_conversation(desk, request=change.request)
    link = desk.messenger.permalink(moved)
    where = f"<{link}|the on-call channel>" if link else "the on-call channel"
    desk.messenger.note(old, f"Raised to Critical: this request continues in {where}.")
    return Change(
        request=moved,
        note=change.note,
        moved_from=(old.slack_channel_id or "", old.thread_ts or ""),
    )


def wait_on_customer(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Pause the resolution clock while the desk waits on the customer."""
    _require_engineer(desk, user_id)

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        _require_open(request)
        if request.status == RequestStatus.WAITING_ON_CUSTOMER:
            return None
        request.status = RequestStatus.WAITING_ON_CUSTOMER.value
        request.resolution_paused_since = now
        return f"<@{user_id}> is waiting on the customer; the resolution clock is paused."

    return _apply(desk, request_id=request_id, actor_id=user_id, kind="waiting", mutate=mutate)


def customer_replied(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Restart the resolution clock; the paused business time moves its due instant."""

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        if request.status != RequestStatus.WAITING_ON_CUSTOMER:
            return None
        _resume_resolution_clock(desk, request, now)
        if request.escalated_to_development_at is not None:
            # Development still has it, off the resolution clock: back to where it was.
            request.status = RequestStatus.ESCALATED_TO_DEVELOPMENT.value
            return "The customer replied; the request is back with Development."
        request.status = RequestStatus.IN_PROGRESS.value
        return "The customer replied; the resolution clock runs again."

    return _apply(desk, request_id=request_id, actor_id=user_id, kind="resumed", mutate=mutate)


def escalate_to_development(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Hand the request to Development: it leaves the 4-business-day resolution norm."""
    _require_engineer(desk, user_id)

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        _require_open(request)
        if request.escalated_to_development_at is not None:
            return None
        if request.status == RequestStatus.WAITING_ON_CUSTOMER:
            _resume_resolution_clock(desk, request, now)
        request.escalated_to_development_at = now
        request.status = RequestStatus.ESCALATED_TO_DEVELOPMENT.value
        return f"<@{user_id}> escalated this request to Development."

    return _apply(
        desk, request_id=request_id, actor_id=user_id, kind="escalated_development", mutate=mutate
    )


def escalate_to_leadership(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Raise the request with support leadership in the escalation channel."""

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        _require_open(request)
        _require_engineer_or_requester(desk, request, user_id)
        if request.escalated_to_leadership_at is not None:
            return None
        request.escalated_to_leadership_at = now
        return f"<@{user_id}> escalated this request to support leadership."

    change = _apply(
        desk, request_id=request_id, actor_id=user_id, kind="escalated_leadership", mutate=mutate
    )
    if change.note is not None:
        desk.messenger.escalate(change.request, reason="leadership", actor_id=user_id)
    return change


def resolve(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Close the request and stop all of its clocks."""

    def mutate(session: Session, request: SupportRequest, now: DateTime) -> str | None:
        if request.status == RequestStatus.RESOLVED:
            return None
        _require_engineer_or_requester(desk, request, user_id)
        if request.status == RequestStatus.WAITING_ON_CUSTOMER:
            _resume_resolution_clock(desk, request, now)
        request.status = RequestStatus.RESOLVED.value
        request.resolved_at = now
        return f"<@{user_id}> resolved this request."

    return _apply(desk, request_id=request_id, actor_id=user_id, kind="resolved", mutate=mutate)


def _apply(desk: Desk, *, request_id: int, actor_id: str, kind: str, mutate: Mutation) -> Change:
    """Run one change under the request's row lock, reschedule, then tell Slack."""
    now = desk.clock.now()
    with desk.db.session() as session:
        request = lock_request(session, request_id)
        if request is None:
            raise NotFound("That request no longer exists.")
        note = mutate(session, request, now)
        if note is not None:
            reschedule(session, request=request, policy=desk.policy, now=now)
            append_event(session, request_id=request_id, at=now, kind=kind, actor_id=actor_id)
    if note is not None:
        desk.messenger.refresh(request)
        desk.messenger.note(request, note)
    return Change(request=request, note=note)


def _resume_resolution_clock(desk: Desk, request: SupportRequest, now: DateTime) -> None:
    if request.resolution_paused_since is None:
        return
    paused = desk.policy.calendar.elapsed(as_instant(request.resolution_paused_since), now)
    request.resolution_paused_seconds += int(paused.total_seconds())
    request.resolution_paused_since = None


def _require_open(request: SupportRequest) -> None:
    if request.status == RequestStatus.RESOLVED:
        raise DeskError(f"{request.key} is already resolved.")


def _require_engineer(desk: Desk, user_id: str) -> None:
    if not desk.directory.is_support_engineer(user_id):
        raise NotAllowed("Only the support team can do that.")


def _require_engineer_or_requester(desk: Desk, request: SupportRequest, user_id: str) -> None:
    if user_id != request.requester_id and not desk.directory.is_support_engineer(user_id):
        raise NotAllowed("Only the requester or the support team can do that.")
