"""Vendor incidents in the support channel: the announcement and its thread replies.

Everything the feed says is the vendor's text: it is escaped like a customer's, so no
incident name or update can ping anyone. Instants are date tokens, so nothing goes stale.
"""

from __future__ import annotations

import re

from bot.domain.incidents import (
    Impact,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    duration,
    ended_at,
    format_outage,
    is_active,
)
from bot.slack.surfaces.blocks import (
    SECTION_LIMIT,
    Json,
    Message,
    context,
    fields,
    header,
    section,
    user_text,
    when,
)
from bot.slack.text import escape

IMPACT_WORDS = {
    Impact.NONE: ":white_circle: No impact",
    Impact.MINOR: ":large_yellow_circle: Minor",
    Impact.MAJOR: ":large_orange_circle: Major",
    Impact.CRITICAL: ":red_circle: Critical",
    Impact.MAINTENANCE: ":large_blue_circle: Maintenance",
}
STATUS_WORDS = {
    IncidentStatus.INVESTIGATING: "Investigating",
    IncidentStatus.IDENTIFIED: "Identified",
    IncidentStatus.MONITORING: "Monitoring a fix",
    IncidentStatus.RESOLVED: "Resolved",
    IncidentStatus.POSTMORTEM: "Resolved, postmortem published",
}
# A link Slack can show as <url|label>: nothing in it may end or split the token.
_SAFE_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def impact_words(incident: Incident) -> str:
    """The impact as the channel reads it; a level the desk does not know, as the feed said."""
    known = incident.known_impact
    return IMPACT_WORDS[known] if known else escape(_humane(incident.impact))


def status_words(status: str) -> str:
    """An incident or update status as the channel reads it (unknown ones as the feed said)."""
    try:
        return STATUS_WORDS[IncidentStatus(status)]
    except ValueError:
        return escape(_humane(status))


def incident_announcement(incident: Incident) -> Message:
    """The announcement in the support channel, edited in place as the incident moves on."""
    name = user_text(incident.name or "(unnamed incident)", 120)
    over = not is_active(incident)
    blocks: list[Json] = [
        header(("Resolved: " if over else "Vendor incident: ") + name),
        fields(_facts(incident)),
    ]
    latest = incident.latest_update
    if latest is not None:
        blocks.append(section(_update_text(latest, label="Latest update")))
    blocks.append(context(_footer(incident)))
    return Message(text=_summary(incident, name), blocks=blocks)


def incident_update_reply(incident: Incident, update: IncidentUpdate) -> Message:
    """One later update of the incident, as a reply in the announcement's thread."""
    name = user_text(incident.name or "(unnamed incident)", 120)
    text = f"{name}: {status_words(update.status)}"
    return Message(text=text, blocks=[section(_update_text(update))])


def _facts(incident: Incident) -> list[tuple[str, str]]:
    affected = ", ".join(user_text(c, 200) for c in incident.components[:10])
    facts = [
        ("Impact", impact_words(incident)),
        ("Status", status_words(incident.status)),
        ("Affected", affected or "Not stated by the vendor"),
        ("Started", when(incident.created_at)),
    ]
    end, length = ended_at(incident), duration(incident)
    if end is not None:
        facts.append(("Resolved", when(end)))
    if length is not None:
        facts.append(("Duration", format_outage(length)))
    return facts


def _update_text(update: IncidentUpdate, *, label: str | None = None) -> str:
    title = f"*{label}* · " if label else ""
    head = f"{title}*{status_words(update.status)}* · {when(update.created_at)}\n"
    body = user_text(update.body.strip(), SECTION_LIMIT - len(head)) or "_No details given._"
    return head + body


def _footer(incident: Incident) -> str:
    link = incident.shortlink or ""
    where = f"<{escape(link)}|Follow it on the status page>" if _SAFE_URL.fullmatch(link) else ""
    thread = "Later updates follow in this thread." if is_active(incident) else ""
    return " · ".join(part for part in (where, thread) if part) or "From the vendor's status page."


def _summary(incident: Incident, name: str) -> str:
    length = duration(incident)
    if not is_active(incident):
        lasted = f", lasted {format_outage(length)}" if length is not None else ""
        return f"Resolved vendor incident: {name}{lasted}"
    impact = escape(_humane(incident.impact))
    return f"Vendor incident ({impact} impact): {name} · {status_words(incident.status)}"


def _humane(word: str) -> str:
    return word.replace("_", " ").strip().capitalize() or "Unknown"
