"""Requests during a vendor outage: the on-call summary, the resolution note, the root's line.

The incident's name and words are the vendor's text and are escaped like a customer's.
Instants are date tokens, so a summary edited now and then never goes stale.
"""

from __future__ import annotations

import re

from bot.domain.incidents import Incident, duration, ended_at, format_outage, is_active
from bot.domain.model import Request
from bot.domain.outages import OutageSummary
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    Json,
    Message,
    context,
    fields,
    header,
    line_sections,
    section,
    user_ref,
    user_text,
    when,
)
from bot.slack.surfaces.incidents import status_words
from bot.slack.text import escape

SUMMARY_LINES = 15
LINK_LIMIT = 300  # a status page's shortlink is short; a longer one is not shown
# A link Slack can show as <url|label>: nothing in it may end or split the token.
_SAFE_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def incident_name(incident: Incident, limit: int = 120) -> str:
    return user_text(incident.name.strip() or "(unnamed incident)", limit)


def status_page_link(incident: Incident, label: str = "status page") -> str:
    """A link to the incident on the vendor's status page ("" when it has no usable one)."""
    link = incident.shortlink or ""
    usable = len(link) <= LINK_LIMIT and _SAFE_URL.fullmatch(link)
    return f"<{escape(link)}|{label}>" if usable else ""


def incident_context(incident: Incident, *, merged: bool) -> Json:
    """The root message's line about its vendor incident (and its merged page)."""
    parts = [f"Vendor incident: *{incident_name(incident)}*", status_words(incident.status)]
    if link := status_page_link(incident):
        parts.append(link)
    lines = [" · ".join(parts)]
    if merged:
        lines.append(
            "On-call was paged once for this incident: this request is in its summary "
            "in the on-call channel."
        )
    return context("\n".join(lines))


def resolved_note(request: Request, incident: Incident) -> Message:
    """Told once in a linked request's conversation when its incident resolves."""
    length = duration(incident)
    lasted = f" ({format_outage(length)})" if length is not None else ""
    text = (
        f":white_check_mark: *{incident_name(incident)}* is resolved{lasted}. "
        "Is your problem gone? If it is, you can resolve this request; if not, reply here."
    )
    blocks = [section(text)]
    if link := status_page_link(incident, "Read the vendor's report"):
        blocks.append(context(link))
    fallback = f"{incident_name(incident)} is resolved{lasted}: is your problem gone?"
    return Message(text=fallback, blocks=blocks)


def outage_summary(summary: OutageSummary) -> Message:
    """The on-call channel's one message about an outage, edited as requests join it."""
    incident = summary.incident
    count = _count(len(summary.requests))
    blocks: list[Json] = [header(f"Outage summary: {incident_name(incident, 100)}")]
    if is_active(incident):
        blocks.append(section(_active_lead(summary, count)))
        blocks.append(fields(_facts(summary)))
        lines = [_request_line(request) for request in summary.requests]
    else:
        blocks.append(section(_resolved_lead(summary, count)))
        lines = [_request_line(request) for request in summary.still_open]
    blocks += line_sections(lines, max_blocks=4, max_lines=SUMMARY_LINES)
    if link := status_page_link(incident, "Follow it on the status page"):
        blocks.append(context(link))
    state = "open" if is_active(incident) else "resolved"
    text = f"Outage summary ({state}): {incident_name(incident)} · {count}"
    return Message(text=text, blocks=blocks)


def _active_lead(summary: OutageSummary, count: str) -> str:
    paged = summary.paged
    first = f", for *{paged.key}*" if paged else ""
    return (
        f":rotating_light: *{count}* during this vendor incident. On-call was paged once"
        f"{first}; later ones are added here instead of paging again. Each keeps its own "
        "conversation and clocks."
    )


def _resolved_lead(summary: OutageSummary, count: str) -> str:
    incident = summary.incident
    end, length = ended_at(incident), duration(incident)
    at = f" {when(end)}" if end else ""
    lasted = f" after {format_outage(length)}" if length is not None else ""
    still = len(summary.still_open)
    left = f"{still} still open:" if still else "none is still open."
    return (
        f":white_check_mark: The vendor resolved this incident{at}{lasted}. "
        f"*{count}* filed during it; {left}"
    )


def _facts(summary: OutageSummary) -> list[tuple[str, str]]:
    incident = summary.incident
    people = ", ".join(user_ref(user_id) for user_id in summary.requesters[:10])
    more = len(summary.requesters) - 10
    due = summary.oldest_due
    return [
        ("Status", status_words(incident.status)),
        ("Started", when(incident.created_at)),
        ("Requesters", people + (f" and {more} more" if more > 0 else "")),
        ("Oldest first response due", when(due) if due else "All answered"),
    ]


def _request_line(request: Request) -> str:
    requester = user_ref(request.requester_id, fallback=escape(request.requester_name or "?"))
    if not request.is_open:
        state = "resolved"
    elif request.first_responded_at is not None:
        state = "answered"
    else:
        state = f"first response due {when(request.first_response_due_at)}"
    return f"• *{request.key}* {labels.subject(request, 80)} — {requester} · {state}"


def _count(n: int) -> str:
    return f"{n} Critical request" + ("" if n == 1 else "s")
