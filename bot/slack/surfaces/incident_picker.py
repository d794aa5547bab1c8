"""The filing modal's vendor incidents: what is going on now, and "Is this about one of these?"

Everything an incident says is the vendor's text, escaped like a customer's. The incident
that affects the chosen area is suggested (the picker's initial option).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.incidents import Incident
from bot.slack.forms import INCIDENT_ID, incident_block_id
from bot.slack.surfaces.blocks import Json, option, section, static_select, user_text, when
from bot.slack.surfaces.incidents import status_words
from bot.slack.surfaces.inputs import input_block
from bot.slack.surfaces.outages import incident_name
from bot.slack.text import escape

LISTED = 5  # a few incidents always fit one section, and the modal stays readable
MAX_OPTIONS = 100
QUESTION = "Is this about one of these?"


def incident_blocks(incidents: Sequence[Incident], *, suggested: str | None = None) -> list[Json]:
    """The active incidents, then a picker to link one (with `suggested` chosen)."""
    if not incidents:
        return []
    shown = incidents[:LISTED]
    lines = [_line(incident) for incident in shown]
    if len(incidents) > len(shown):
        lines.append(f"…and {len(incidents) - len(shown)} more")
    blocks = [section(":warning: *Known vendor incidents right now*\n" + "\n".join(lines))]
    options = _options(incidents)
    if options:
        initial = suggested if any(o["value"] == suggested for o in options) else None
        picker = static_select(
            action_id=incident_block_id(initial),
            placeholder="Choose an incident",
            options=options,
            initial_value=initial,
        )
        hint = "Link it and we will tell you in your request's conversation when it is resolved."
        blocks.append(
            input_block(incident_block_id(initial), QUESTION, picker, optional=True, hint=hint)
        )
    return blocks


def _line(incident: Incident) -> str:
    """One incident in at most ~450 characters: five always fit one section."""
    head = (
        f"• *{incident_name(incident, 100)}* · {status_words(incident.status)} · "
        f"since {when(incident.created_at)}"
    )
    affected = user_text(", ".join(incident.components[:5]), 200)
    return head + (f"\n    Affects: {affected}" if affected else "")


def _options(incidents: Sequence[Incident]) -> list[Json]:
    """One option per incident with a usable id (unique, plain, ≤ 64 characters), at most 100."""
    options: list[Json] = []
    seen: set[str] = set()
    for incident in incidents:
        if not INCIDENT_ID.fullmatch(incident.id) or incident.id in seen:
            continue
        seen.add(incident.id)
        name = escape(incident.name.strip() or incident.id)
        words = [status_words(incident.status), *(escape(c) for c in incident.components[:3])]
        options.append(option(name, incident.id, description=" · ".join(words)))
        if len(options) == MAX_OPTIONS:
            break
    return options
