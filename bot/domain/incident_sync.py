"""What the desk does with a fresh listing of an incident it may already hold.

The feed shows only its last 50 incidents, so the desk keeps every incident and update it
has seen, and decides here which of them the support channel still has to hear about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from pendulum import DateTime

from bot.domain.incidents import Incident, IncidentUpdate, is_active
from bot.domain.model import ConversationRef

# An incident the desk first sees already over is still announced if it began this
# recently (it came and went between two polls), except on the very first look at a feed.
CATCH_UP = timedelta(hours=24)


class Announcement(StrEnum):
    """Where an incident's announcement in the support channel stands."""

    OWED = "owed"
    POSTED = "posted"
    QUIET = "quiet"  # history: seen already over, never announced
    FAILED = "failed"  # Slack refused it too often; reported, not retried


class Reply(StrEnum):
    """Where an update's thread reply under the announcement stands."""

    OWED = "owed"
    POSTED = "posted"
    QUIET = "quiet"  # told by the announcement itself, or history
    FAILED = "failed"


@dataclass(frozen=True)
class Tracked:
    """An incident as the desk holds it, with its announcement in the support channel."""

    incident: Incident
    announcement: Announcement
    message: ConversationRef | None = None
    needs_refresh: bool = False
    attempts: int = 0


@dataclass(frozen=True)
class OwedReply:
    """An update owed a reply in its incident's announcement thread."""

    incident: Incident
    update: IncidentUpdate
    message: ConversationRef
    attempts: int = 0


@dataclass(frozen=True)
class SyncStep:
    """The incident to keep, and what the channel is owed because of it."""

    incident: Incident
    announcement: Announcement
    new_updates: tuple[tuple[IncidentUpdate, Reply], ...]
    refresh: bool  # the posted announcement shows an older state


def sync_step(
    known: Tracked | None, fresh: Incident, *, first_look: bool, now: DateTime
) -> SyncStep | None:
    """The step for a fresh listing of an incident; None when it says nothing new."""
    if known is None:
        owed = is_active(fresh) or (not first_look and now - fresh.created_at <= CATCH_UP)
        announcement = Announcement.OWED if owed else Announcement.QUIET
        quiet = tuple((update, Reply.QUIET) for update in fresh.updates)
        return SyncStep(fresh, announcement, quiet, refresh=False)
    seen = {update.id for update in known.incident.updates}
    added = tuple(update for update in fresh.updates if update.id not in seen)
    if not added and _same_facts(known.incident, fresh):
        return None
    announcement = known.announcement
    if announcement is Announcement.QUIET and is_active(fresh):
        announcement = Announcement.OWED  # an old incident came back
    posted = announcement is Announcement.POSTED
    reply = Reply.OWED if posted else Reply.QUIET
    merged = replace(fresh, updates=_union(known.incident.updates, added))
    return SyncStep(merged, announcement, tuple((u, reply) for u in added), refresh=posted)


def _same_facts(old: Incident, new: Incident) -> bool:
    """Equal in everything but the updates (which are compared by id)."""
    return replace(old, updates=()) == replace(new, updates=())


def _union(
    kept: tuple[IncidentUpdate, ...], added: tuple[IncidentUpdate, ...]
) -> tuple[IncidentUpdate, ...]:
    return tuple(sorted((*kept, *added), key=lambda update: (update.created_at, update.id)))
