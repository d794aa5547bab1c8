"""What changed on a request, as typed notes: the Slack side turns each into words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.requests import Priority


class ChangeKind(StrEnum):
    """Each kind of change, also the event name the log records."""

    TAKEN = "taken"
    PRIORITY_CHANGED = "priority_changed"
    WAITING = "waiting"
    RESUMED = "resumed"
    ESCALATED_DEVELOPMENT = "escalated_development"
    ESCALATED_LEADERSHIP = "escalated_leadership"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class ChangeNote:
    """One change and who made it; `old`/`new` for a change of impact."""

    kind: ChangeKind
    actor_id: str | None = None
    old: Priority | None = None
    new: Priority | None = None
    # Resumed from waiting on the customer while Development still has the request.
    back_to_development: bool = False


class CustomerNoteKind(StrEnum):
    """What the customer hears in their own thread of a shared channel (§11), and no more."""

    FILED = "filed"
    TAKEN = "taken"
    WAITING = "waiting"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class CustomerNote:
    """A short customer-facing note; `actor_id` is who acted (for "taken", their name)."""

    kind: CustomerNoteKind
    actor_id: str | None = None


_TOLD_TO_CUSTOMER = {
    ChangeKind.TAKEN: CustomerNoteKind.TAKEN,
    ChangeKind.WAITING: CustomerNoteKind.WAITING,
    ChangeKind.RESOLVED: CustomerNoteKind.RESOLVED,
}


def for_customer(note: ChangeNote) -> CustomerNote | None:
    """The customer-facing note a change makes, if the customer hears of it at all.

    Impact changes, escalations and the customer's own reply stay on the triage card.
    """
    kind = _TOLD_TO_CUSTOMER.get(note.kind)
    return None if kind is None else CustomerNote(kind, actor_id=note.actor_id)


@dataclass(frozen=True)
class MoveNote:
    """A conversation continues elsewhere: said in the thread it left and the one it joined."""

    raised: bool  # to Critical (on-call channel), or lowered from it (support channel)
    link: str | None  # the other thread's permalink, when Slack gave one
    to_new_thread: bool  # which side this note is said on
