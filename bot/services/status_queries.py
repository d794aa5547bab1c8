"""Reading the desk's copy of the vendor's status history: the CLI, the filing modal, the
status command, the App Home, and the incident a request's root message shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pendulum import DateTime

from bot.db.engine import Database
from bot.domain.incidents import Incident, total_downtime
from bot.domain.model import Request

HISTORY_DAYS = 90  # what `status` and the App Home show of the vendor's past incidents


@dataclass(frozen=True)
class IncidentHistory:
    """Incidents begun since an instant, newest first, and the downtime they add up to."""

    incidents: tuple[Incident, ...]
    downtime: timedelta
    since: DateTime | None = None


def active_incidents(db: Database) -> list[Incident]:
    """Vendor incidents still going, oldest first."""
    with db.unit_of_work() as uow:
        return uow.status.active()


def incident_history(
    db: Database, *, now: DateTime, since: DateTime | None = None
) -> IncidentHistory:
    """The stored incidents begun at or after `since` (all without it) and their downtime."""
    with db.unit_of_work() as uow:
        incidents = uow.status.history(since)
    return history_of(incidents, now=now, since=since)


def history_of(
    incidents: list[Incident], *, now: DateTime, since: DateTime | None = None
) -> IncidentHistory:
    """The same history for incidents from elsewhere (a saved incidents.json)."""
    kept = [incident for incident in incidents if since is None or incident.created_at >= since]
    kept.sort(key=lambda incident: (incident.created_at, incident.id), reverse=True)
    return IncidentHistory(tuple(kept), total_downtime(kept, since, now=now), since)


@dataclass(frozen=True)
class VendorStatus:
    """The vendor's incidents going on now (oldest first) and those of the last 90 days."""

    active: tuple[Incident, ...]
    history: IncidentHistory
    now: DateTime  # active incidents last until now
    days: int = HISTORY_DAYS


def vendor_status(db: Database, *, now: DateTime, days: int = HISTORY_DAYS) -> VendorStatus:
    """What `/kustomer-support status` and the App Home show about the vendor."""
    with db.unit_of_work() as uow:
        active = uow.status.active()
    history = incident_history(db, now=now, since=now.subtract(days=days))
    return VendorStatus(tuple(active), history, now, days)


@dataclass(frozen=True)
class RequestOutage:
    """The vendor incident a request's root shows, and whether its page went to a summary.

    `paged` is None for a request outside any outage, else whether its own root paged.
    """

    incident: Incident | None
    paged: bool | None = None


def request_outage(db: Database, request: Request) -> RequestOutage:
    """The incident a request is linked to (else the outage it paged in), for its root."""
    if not (request.incident_id or request.is_critical):
        return RequestOutage(None)
    with db.unit_of_work() as uow:
        member = uow.outages.membership(request.id) if request.id else None
        wanted = [feed for feed in (request.incident_id, member and member[0]) if feed]
        tracked = uow.status.tracked(wanted) if wanted else {}
    incident = next((tracked[feed].incident for feed in wanted if feed in tracked), None)
    return RequestOutage(incident, None if member is None else member[1])
