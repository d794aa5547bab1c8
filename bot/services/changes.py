"""What engineers and requesters do to a request from its conversation's buttons.

Each use case loads the request under its row lock, checks who may act, applies the pure
transition (`bot.domain.transitions`), plans the clocks, saves, then tells Slack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from pendulum import DateTime

from bot.domain import transitions
from bot.domain.changes import ChangeKind, for_customer
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.transitions import Transition
from bot.services.clocks import reschedule
from bot.services.conversations import open_conversation, owe_conversation
from bot.services.desk import Desk
from bot.services.ports import DeliveryFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """A request after a change; `changed` is False when there was nothing to do."""

    request: Request
    changed: bool


Rule = Callable[[Request, DateTime], Transition | None]


def take(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Assign the request to the desk member who took it."""
    _require_desk(desk, user_id)
    return _apply(desk, request_id, user_id, lambda r, now: transitions.take(r, user_id=user_id))


def change_priority(desk: Desk, *, request_id: int, user_id: str, priority: Priority) -> Change:
    """Re-target the request; across Critical its conversation moves to the other channel."""

    def rule(request: Request, now: DateTime) -> Transition | None:
        _require_desk_or_requester(desk, request, user_id)
        if not is_desk_member(desk, user_id):
            transitions.check_requester_priority(request, priority)
        return transitions.change_priority(
            request, user_id=user_id, priority=priority, policy=desk.policy
        )

    try:
        change = _apply(desk, request_id, user_id, rule)
    except NotAllowed:
        _reset_menu(desk, request_id)
        raise
    if change.changed and change.request.conversation_pending:
        return Change(open_conversation(desk, request_id=request_id), changed=True)
    return change


def wait_on_customer(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Pause the resolution clock while the desk waits on the customer."""
    _require_desk(desk, user_id)
    return _apply(
        desk,
        request_id,
        user_id,
        lambda r, now: transitions.wait_on_customer(r, user_id=user_id, now=now),
    )


def customer_replied(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Restart the resolution clock; the paused business time moves its due instant."""
    calendar = desk.policy.calendar
    return _apply(
        desk,
        request_id,
        user_id,
        lambda r, now: transitions.customer_replied(r, user_id=user_id, calendar=calendar, now=now),
    )


def escalate_to_development(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Hand the request to Development: it leaves the 4-business-day resolution norm."""
    _require_desk(desk, user_id)
    calendar = desk.policy.calendar
    return _apply(
        desk,
        request_id,
        user_id,
        lambda r, now: transitions.escalate_to_development(
            r, user_id=user_id, calendar=calendar, now=now
        ),
    )


def escalate_to_leadership(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Raise the request with support leadership in the escalation channel."""

    def rule(request: Request, now: DateTime) -> Transition | None:
        _require_desk_or_requester(desk, request, user_id)
        return transitions.escalate_to_leadership(request, user_id=user_id, now=now)

    change = _apply(desk, request_id, user_id, rule)
    if change.changed:
        desk.messenger.escalate(change.request, reason="leadership", actor_id=user_id)
    return change


def resolve(desk: Desk, *, request_id: int, user_id: str) -> Change:
    """Close the request and stop all of its clocks."""
    calendar = desk.policy.calendar

    def rule(request: Request, now: DateTime) -> Transition | None:
        if request.is_open:
            _require_desk_or_requester(desk, request, user_id)
        return transitions.resolve(request, user_id=user_id, calendar=calendar, now=now)

    return _apply(desk, request_id, user_id, rule)


def _apply(desk: Desk, request_id: int, actor_id: str, rule: Rule) -> Change:
    """Run one transition under the request's row lock, plan its clocks, then tell Slack."""
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        request = uow.requests.lock(request_id)
        if request is None:
            raise NotFound("That request no longer exists.")
        transition = rule(request, now)
        if transition is None:
            return Change(request, changed=False)
        request = reschedule(uow, request=transition.request, policy=desk.policy, now=now)
        if transition.moved:
            owe_conversation(uow, desk=desk, request=request, now=now)
        uow.events.append(request_id, transition.note.kind.value, at=now, actor_id=actor_id)
    _tell(desk, request, transition)
    return Change(request, changed=True)


def _tell(desk: Desk, request: Request, transition: Transition) -> None:
    """Best effort: the change is stored; a Slack failure here must not stop what follows."""
    try:
        desk.messenger.refresh(request)
        desk.messenger.say(request, transition.note)
    except DeliveryFailed as error:
        log.warning("could not show %s on %s: %s", transition.note.kind, request.key, error)
    told = for_customer(transition.note) if request.customer_thread else None
    if told is not None:
        try:
            desk.messenger.tell_customer(request, told)
        except DeliveryFailed as error:
            log.warning("could not tell the customer %s on %s: %s", told.kind, request.key, error)


def _reset_menu(desk: Desk, request_id: int) -> None:
    """A refused choice still shows in the person's menu: redraw the root message."""
    with desk.db.unit_of_work() as uow:
        request = uow.requests.get(request_id)
    if request is not None:
        with suppress(DeliveryFailed):
            desk.messenger.refresh(request)


def is_desk_member(desk: Desk, user_id: str) -> bool:
    """Support engineers and on-call engineers work the desk."""
    return desk.directory.is_desk_member(user_id)


def _require_desk(desk: Desk, user_id: str) -> None:
    if not is_desk_member(desk, user_id):
        raise NotAllowed("Only the support or on-call team can do that.")


def _require_desk_or_requester(desk: Desk, request: Request, user_id: str) -> None:
    if user_id != request.requester_id and not is_desk_member(desk, user_id):
        raise NotAllowed("Only the requester or the support or on-call team can do that.")


__all__ = ["Change", "ChangeKind"]
