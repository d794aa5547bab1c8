"""Read-only views of the desk: is it open, whose requests are where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pendulum import DateTime

from bot.clock import Clock
from bot.db.engine import Database
from bot.db.home_repo import home_reads
from bot.domain.accounts import Account
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy, target_phrase
from bot.services.ports import Directory


class DeskReader(Protocol):
    """What reading the desk takes: no Slack messenger, so a reader exists before the Desk.

    `bot.services.desk.Desk` (and its `records`) satisfy it as they are.
    """

    @property
    def db(self) -> Database: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def policy(self) -> SlaPolicy: ...

    @property
    def directory(self) -> Directory: ...


@dataclass(frozen=True)
class DeskHours:
    """Whether the desk is open now, and when that changes."""

    open_now: bool
    next_change: DateTime
    targets: tuple[tuple[Priority, str], ...]


def desk_hours(desk: DeskReader, *, now: DateTime | None = None) -> DeskHours:
    """Open or closed at `now` (default: the desk clock's now), the next change, the targets."""
    now = now or desk.clock.now()
    calendar = desk.policy.calendar
    open_now = calendar.is_open(now)
    change = calendar.next_closing(now) if open_now else calendar.next_opening(now)
    own = desk.policy.terms.first_response
    targets = tuple((p, target_phrase(p, now, calendar, target=own[p])) for p in Priority)
    return DeskHours(open_now=open_now, next_change=change, targets=targets)


def requests_of(
    desk: DeskReader, *, team_id: str, requester_id: str, open_only: bool, limit: int = 50
) -> list[Request]:
    """A requester's requests in one team, newest first."""
    with desk.db.unit_of_work() as uow:
        return uow.requests.of_requester(
            team_id=team_id, requester_id=requester_id, open_only=open_only, limit=limit
        )


@dataclass(frozen=True)
class RequesterList:
    """A requester's open requests, newest first, and the few most recently resolved."""

    open: tuple[Request, ...]
    recently_resolved: tuple[Request, ...]
    # The customer account whose open requests these are, when the person speaks for one.
    account: str | None = None


def requester_list(
    desk: DeskReader,
    *,
    team_id: str,
    requester_id: str,
    open_limit: int,
    resolved_limit: int,
    account: Account | None = None,
) -> RequesterList:
    """What `/kustomer-support list` shows: open requests, then the last ones resolved.

    For a person of a customer account (§11) the open ones are the whole account's, so a
    colleague's request filed in the shared channel shows too.
    """
    with desk.db.unit_of_work() as uow:
        if account is None:
            open_ = uow.requests.of_requester(
                team_id=team_id, requester_id=requester_id, open_only=True, limit=open_limit
            )
        else:
            open_ = uow.requests.open_of_account(account.id, limit=open_limit)
        resolved = home_reads(uow).resolved_of(requester_id, team_id=team_id, limit=resolved_limit)
    return RequesterList(
        open=tuple(open_),
        recently_resolved=tuple(resolved),
        account=None if account is None else account.name,
    )


def queue(desk: DeskReader, *, team_id: str | None, limit: int = 200) -> list[Request]:
    """The open queue in the order engineers work it (see `requests_repo.open_queue`)."""
    with desk.db.unit_of_work() as uow:
        return uow.requests.open_queue(team_id=team_id, limit=limit)
