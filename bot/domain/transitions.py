"""What people do to a request, as pure functions: the request before, what it is after.

Each returns a `Transition` (the changed request and its note), or None when nothing
changes. They raise `DeskError` when the change is not possible in the request's state;
who may make a change is checked by the service, which knows the people.
"""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar
from bot.domain.changes import ChangeKind, ChangeNote
from bot.domain.errors import DeskError, NotAllowed
from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority, RequestStatus
from bot.domain.sla import SlaPolicy


@dataclass(frozen=True)
class Transition:
    """A request after a change, and the note saying what changed."""

    request: Request
    note: ChangeNote

    @property
    def moved(self) -> bool:
        """A change of impact across Critical: the conversation changes channel."""
        old, new = self.note.old, self.note.new
        return old is not None and new is not None and old.is_critical != new.is_critical


def _require_open(request: Request) -> None:
    if not request.is_open:
        raise DeskError(f"{request.key} is already resolved.")


def take(request: Request, *, user_id: str) -> Transition | None:
    """Assign the request to the person who took it."""
    _require_open(request)
    if request.assignee_id == user_id:
        return None
    status = RequestStatus.IN_PROGRESS if request.status is RequestStatus.NEW else request.status
    taken = request.but(assignee_id=user_id, status=status)
    return Transition(taken, ChangeNote(ChangeKind.TAKEN, user_id))


def route_ceiling(request: Request) -> Priority:
    """The highest impact a requester may choose: Medium by email, High by chat.

    Critical is the desk's call once a request is filed: only support and on-call raise
    to it (a chat admin may still file at Critical).
    """
    return Priority.MEDIUM if request.intake_channel is IntakeChannel.EMAIL else Priority.HIGH


def check_requester_priority(request: Request, priority: Priority) -> None:
    """A requester may lower their request, or raise it up to their route's ceiling."""
    ceiling = route_ceiling(request)
    if priority.rank <= request.priority.rank or priority.rank <= ceiling.rank:
        return
    if priority.is_critical:
        raise NotAllowed(
            "Only the support or on-call team can raise a request to Critical. If your "
            "team cannot work at all, say so in the conversation and we will raise it."
        )
    raise NotAllowed(
        f"{request.key} came through the email route, so it stays at {ceiling.label} "
        "unless the support team changes it. You can still lower it."
    )


def change_priority(
    request: Request, *, user_id: str, priority: Priority, policy: SlaPolicy
) -> Transition | None:
    """Re-target from the creation instant under the request's own terms."""
    _require_open(request)
    old = request.priority
    if old is priority:
        return None
    own = policy.under(request.terms)
    changed = request.but(
        priority=priority,
        first_response_due_at=own.first_response_due(priority, request.created_at),
        breached_at=request.breached_at if request.first_responded_at else None,
    )
    if old.is_critical != priority.is_critical:
        changed = changed.but(conversation_pending=True)
    return Transition(changed, ChangeNote(ChangeKind.PRIORITY_CHANGED, user_id, old, priority))


def wait_on_customer(request: Request, *, user_id: str, now: DateTime) -> Transition | None:
    """Pause the resolution clock while the desk waits on the customer."""
    _require_open(request)
    if request.status is RequestStatus.WAITING_ON_CUSTOMER:
        return None
    waiting = request.but(status=RequestStatus.WAITING_ON_CUSTOMER, resolution_paused_since=now)
    return Transition(waiting, ChangeNote(ChangeKind.WAITING, user_id))


def customer_replied(
    request: Request, *, user_id: str, calendar: BusinessCalendar, now: DateTime
) -> Transition | None:
    """Restart the resolution clock; the paused business time moves its due instant."""
    if request.status is not RequestStatus.WAITING_ON_CUSTOMER:
        return None
    resumed = resume_resolution_clock(request, calendar=calendar, now=now)
    back = request.escalated_to_development_at is not None
    status = RequestStatus.ESCALATED_TO_DEVELOPMENT if back else RequestStatus.IN_PROGRESS
    note = ChangeNote(ChangeKind.RESUMED, user_id, back_to_development=back)
    return Transition(resumed.but(status=status), note)


def escalate_to_development(
    request: Request, *, user_id: str, calendar: BusinessCalendar, now: DateTime
) -> Transition | None:
    """Hand the request to Development: it leaves the 4-business-day resolution norm."""
    _require_open(request)
    if request.escalated_to_development_at is not None:
        return None
    resumed = resume_resolution_clock(request, calendar=calendar, now=now)
    escalated = resumed.but(
        escalated_to_development_at=now, status=RequestStatus.ESCALATED_TO_DEVELOPMENT
    )
    return Transition(escalated, ChangeNote(ChangeKind.ESCALATED_DEVELOPMENT, user_id))


def escalate_to_leadership(request: Request, *, user_id: str, now: DateTime) -> Transition | None:
    """Raise the request with support leadership."""
    _require_open(request)
    if request.escalated_to_leadership_at is not None:
        return None
    escalated = request.but(escalated_to_leadership_at=now)
    return Transition(escalated, ChangeNote(ChangeKind.ESCALATED_LEADERSHIP, user_id))


def resolve(
    request: Request, *, user_id: str, calendar: BusinessCalendar, now: DateTime
) -> Transition | None:
    """Close the request and stop all of its clocks."""
    if not request.is_open:
        return None
    resumed = resume_resolution_clock(request, calendar=calendar, now=now)
    resolved = resumed.but(status=RequestStatus.RESOLVED, resolved_at=now)
    return Transition(resolved, ChangeNote(ChangeKind.RESOLVED, user_id))


def resume_resolution_clock(
    request: Request, *, calendar: BusinessCalendar, now: DateTime
) -> Request:
    """Add the business time spent waiting on the customer to the pause, and end the pause."""
    if request.resolution_paused_since is None:
        return request
    paused = calendar.elapsed(request.resolution_paused_since, now)
    return request.but(
        resolution_paused_seconds=request.resolution_paused_seconds + int(paused.total_seconds()),
        resolution_paused_since=None,
    )


def engineer_replied(request: Request, *, user_id: str, at: DateTime) -> tuple[Request, bool]:
    """A desk member's reply in the thread: the first one stops the first-response clock.

    Returns the request and whether this reply was its first response.
    """
    replied = request.but(last_engineer_reply_at=at)
    if request.first_responded_at is not None:
        return replied, False
    status = RequestStatus.IN_PROGRESS if request.status is RequestStatus.NEW else request.status
    return replied.but(first_responded_at=at, first_responder_id=user_id, status=status), True
