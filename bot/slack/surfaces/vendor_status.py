"""The vendor's incidents in `/kustomer-support status` and the App Home: now, and the last
90 days with each one's start, end and duration and the downtime they add up to.

Incident names are the vendor's text, escaped; instants are date tokens.
"""

from __future__ import annotations

from bot.domain.incidents import Incident, duration, ended_at, format_outage, is_active
from bot.services.status_queries import VendorStatus
from bot.slack.surfaces.blocks import (
    Json,
    context,
    divider,
    line_sections,
    section,
    user_text,
    when,
)
from bot.slack.surfaces.incidents import status_words
from bot.slack.surfaces.outages import incident_name, status_page_link

ACTIVE_LINES = 5


def vendor_status_blocks(vendor: VendorStatus, *, max_blocks: int, max_lines: int) -> list[Json]:
    """Active incidents, then the history and its total downtime, in at most `max_blocks`."""
    blocks = [divider(), *_active(vendor.active)]
    history = vendor.history
    total = format_outage(history.downtime)
    title = f"*Vendor incidents, last {vendor.days} days*"
    if not history.incidents:
        return [*blocks, section(f"{title}\nNone: no downtime.")]
    count = len(history.incidents)
    blocks.append(
        section(f"{title} — {count} incident{'' if count == 1 else 's'}, total downtime *{total}*")
    )
    lines = [_past_line(incident, vendor) for incident in history.incidents]
    budget = max(2, max_blocks - len(blocks))
    return blocks + line_sections(lines, max_blocks=budget, max_lines=max_lines)


def _active(incidents: tuple[Incident, ...]) -> list[Json]:
    if not incidents:
        return [context(":large_green_circle: No vendor incidents right now.")]
    lines = [_active_line(incident) for incident in incidents[:ACTIVE_LINES]]
    if len(incidents) > ACTIVE_LINES:
        lines.append(f"…and {len(incidents) - ACTIVE_LINES} more")
    return [section(":warning: *Vendor incidents right now*\n" + "\n".join(lines))]


def _active_line(incident: Incident) -> str:
    affected = user_text(", ".join(incident.components[:4]), 160)
    parts = [
        f"• *{incident_name(incident, 100)}*",
        status_words(incident.status),
        f"since {when(incident.created_at)}",
    ]
    if affected:
        parts.append(affected)
    if link := status_page_link(incident):
        parts.append(link)
    return " · ".join(parts)


def _past_line(incident: Incident, vendor: VendorStatus) -> str:
    """Name, start, end and duration; an incident still going runs to now."""
    end = ended_at(incident)
    length = duration(incident, now=vendor.now)
    lasted = format_outage(length) if length is not None else "?"
    if is_active(incident):
        until, lasted = "ongoing", f"{lasted} so far"
    else:
        until = when(end) if end else "ended"
    return f"• *{incident_name(incident, 80)}* · {when(incident.created_at)} → {until} · {lasted}"
