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


@dataclass(frozen=True)
class MoveNote:
    """A conversation continues elsewhere: said in the thread it left and the one it joined."""

    raised: bool  # to Critical (on-call channel), or lowered from it (support channel)
    link: str | None  # the other thread's permalink, when Slack gave one
    to_new_thread: bool  # which side this note is said on
