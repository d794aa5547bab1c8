"""Vendor incidents for the surface tests: an active one, a resolved one, hostile ones."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from surface_checks import NOW

from bot.domain.incidents import Incident, total_downtime
from bot.services.status_queries import IncidentHistory, VendorStatus


def incident(
    incident_id: str = "inc1",
    name: str = "Email delivery delayed",
    *,
    start: pendulum.DateTime | None = None,
    minutes: float | None = None,
    status: str | None = None,
    components: tuple[str, ...] = ("Channel - Email", "API"),
) -> Incident:
    """An incident begun at `start` (an hour before NOW); resolved after `minutes` if given."""
    begun = start or NOW.subtract(hours=1)
    resolved = None if minutes is None else begun.add(minutes=minutes)
    return Incident(
        id=incident_id,
        name=name,
        status=status or ("resolved" if resolved else "identified"),
        impact="major",
        created_at=begun,
        resolved_at=resolved,
        shortlink=f"https://stspg.example/{incident_id}",
        components=components,
    )


def vendor(active: list[Incident], past: list[Incident]) -> VendorStatus:
    """What the status command and the Home show: `past` newest first, `active` among them."""
    kept = tuple(sorted([*active, *past], key=lambda i: i.created_at, reverse=True))
    since = NOW.subtract(days=90)
    history = IncidentHistory(kept, total_downtime(kept, since, now=NOW), since)
    return VendorStatus(tuple(active), history, NOW)


def outage_history() -> VendorStatus:
    """One incident going on for an hour; two past ones of 2h 38m and 8h 13m."""
    first = incident("old1", "Chat widget slow", start=NOW.subtract(days=30), minutes=158)
    second = incident("old2", "Voice calls drop", start=NOW.subtract(days=10), minutes=493)
    return vendor([incident()], [first, second])


DOWNTIME = timedelta(minutes=60 + 158 + 493)  # 11h 51m
