"""Read-only views of the desk: is it open, whose requests are where."""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import DateTime

from bot.db.models import SupportRequest
from bot.db.repositories import open_queue, requests_of_requester
from bot.domain.requests import Priority
from bot.domain.sla import target_phrase
from bot.services.desk import Desk


@dataclass(frozen=True)
class DeskHours:
    """Whether the desk is open now, and when that changes."""

    open_now: bool
    next_change: DateTime
    targets: tuple[tuple[Priority, str], ...]


def desk_hours(desk: Desk) -> DeskHours:
    """Open or closed right now, the next opening or closing, and today's targets."""
    now = desk.clock.now()
    calendar = desk.policy.calendar
    open_now = calendar.is_open(now)
    change = calendar.next_closing(now) if open_now else calendar.next_opening(now)
    targets = tuple((p, target_phrase(p, now, calendar)) for p in Priority)
    return DeskHours(open_now=open_now, next_change=change, targets=targets)


def requests_of(
    desk: Desk, *, team_id: str, requester_id: str, open_only: bool, limit: int = 50
) -> list[SupportRequest]:
    """A requester's requests, newest first."""
    with desk.db.session() as session:
        return list(
            requests_of_requester(
                session,
                team_id=team_id,
                requester_id=requester_id,
                open_only=open_only,
                limit=limit,
            )
        )


def queue(desk: Desk, *, team_id: str | None, limit: int = 200) -> list[SupportRequest]:
    """The open queue: breached first, then by first-response due instant."""
    with desk.db.session() as session:
        return list(open_queue(session, team_id=team_id, limit=limit))
