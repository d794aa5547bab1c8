"""Vendor incidents as the status page tells them: status, impact, updates and downtime.

The feed's words are kept as given: a status or impact this desk does not know (a
maintenance state, a new level) is shown as it came, never refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TypeVar

from pendulum import DateTime

E = TypeVar("E", bound=StrEnum)


class IncidentStatus(StrEnum):
    """The incident statuses of a Statuspage feed."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"


class Impact(StrEnum):
    """The impact levels of a Statuspage feed."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"


# Statuses after which an incident is over; `completed` ends a maintenance.
ENDED_STATUSES = frozenset({IncidentStatus.RESOLVED, IncidentStatus.POSTMORTEM, "completed"})


@dataclass(frozen=True)
class IncidentUpdate:
    """One timestamped message of an incident's timeline."""

    id: str
    status: str
    body: str
    created_at: DateTime


@dataclass(frozen=True)
class Incident:
    """A vendor incident, keyed by the feed's id; `updates` run oldest first."""

    id: str
    name: str
    status: str
    impact: str
    created_at: DateTime
    resolved_at: DateTime | None = None
    shortlink: str | None = None
    components: tuple[str, ...] = ()
    updates: tuple[IncidentUpdate, ...] = ()

    @property
    def known_status(self) -> IncidentStatus | None:
        """The status, if it is one of the five the desk knows."""
        return _member(IncidentStatus, self.status)

    @property
    def known_impact(self) -> Impact | None:
        """The impact, if it is one of the levels the desk knows."""
        return _member(Impact, self.impact)

    @property
    def latest_update(self) -> IncidentUpdate | None:
        return self.updates[-1] if self.updates else None


def _member(enum: type[E], value: str) -> E | None:
    try:
        return enum(value)
    except ValueError:
        return None


def is_active(incident: Incident) -> bool:
    """Still going: neither resolved nor in a status that ends it."""
    return incident.resolved_at is None and incident.status not in ENDED_STATUSES


def ended_at(incident: Incident) -> DateTime | None:
    """When the incident was resolved; for a feed without `resolved_at`, its first ending update."""
    if incident.resolved_at is not None:
        return incident.resolved_at
    if is_active(incident):
        return None
    endings = [u.created_at for u in incident.updates if u.status in ENDED_STATUSES]
    return min(endings) if endings else None


def duration(incident: Incident, *, now: DateTime | None = None) -> timedelta | None:
    """From creation to resolution; an active incident's runs to `now` (None without it)."""
    end = ended_at(incident) or (now if is_active(incident) else None)
    if end is None:
        return None
    return max(timedelta(0), end - incident.created_at)


def total_downtime(
    incidents: Iterable[Incident], since: DateTime | None = None, *, now: DateTime | None = None
) -> timedelta:
    """Time during which at least one incident started at or after `since` was going on.

    Overlapping incidents count once; an active one counts up to `now` (not at all without it).
    """
    spans = sorted(
        (incident.created_at, incident.created_at + length)
        for incident in incidents
        if since is None or incident.created_at >= since
        if (length := duration(incident, now=now)) is not None
    )
    total, reach = timedelta(0), None
    for start, end in spans:
        begin = start if reach is None else max(start, reach)
        if end > begin:
            total += end - begin
        reach = end if reach is None else max(reach, end)
    return total


def format_outage(length: timedelta) -> str:
    """A status-page duration: '38m', '2h', '10h 51m', '1d 3h 5m', '40s'."""
    seconds = max(0, int(length.total_seconds()))
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return " ".join(parts) or f"{seconds}s"


def newer_listing(first: Incident, second: Incident) -> Incident:
    """Of two listings of one incident (recent and unresolved), the one that says more."""
    if _progress(second) > _progress(first):
        return second
    return first


def _progress(incident: Incident) -> tuple[int, DateTime, int]:
    latest = incident.latest_update
    last_at = latest.created_at if latest else incident.created_at
    return (len(incident.updates), last_at, 0 if is_active(incident) else 1)
