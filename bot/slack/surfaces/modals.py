"""The filing modal behind /kustomer-support."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.incidents import Incident
from bot.domain.outages import suggested_incident
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
)
from bot.slack.forms import (
    DESCRIPTION_MAX,
    ONE_ISSUE_VALUE,
    PROJECT_MAX,
    SUBJECT_MAX,
)
from bot.slack.ids import Callback, Field
from bot.slack.surfaces.blocks import (
    Json,
    context,
    option,
    plain,
    static_select,
)
from bot.slack.surfaces.incident_picker import incident_blocks
from bot.slack.surfaces.inputs import choices, input_block, text_input
from bot.slack.text import escape

CRITICAL_EXAMPLES = (
    "complete downtime or system failure",
    "most users cannot reach core features",
    "a security breach or unauthorised access to sensitive data",
    "severe performance degradation",
)
_CRITICAL_SHORT = "Downtime, most users blocked, security breach, severe slowness"


@dataclass(frozen=True)
class FilingPrefill:
    """Initial values for the filing modal (raw text, as the person typed it)."""

    subject: str = ""
    description: str = ""
    project: str | None = None
    area: AffectedArea | None = None
    contact: ContactPreference = ContactPreference.THREAD
    kind: RequestKind = RequestKind.PROBLEM


def filing_modal(
    *,
    route: IntakeChannel,
    impact_phrases: Mapping[Priority, str],
    prefill: FilingPrefill | None = None,
    private_metadata: str = "",
    active_incidents: Sequence[Incident] = (),
    support_email: str | None = None,
    ask_requester: bool = False,
) -> dict[str, Any]:
    """The modal a requester fills to file a request; no impact choice on the email route.

    With vendor incidents going on, it lists them and offers to link one: the one that
    affects the chosen area is suggested, and choosing an area redraws the modal.
    `ask_requester`: staff filing for a customer account name the customer (§11).
    """
    filled = prefill or FilingPrefill()
    suggestion = suggested_incident(filled.area, active_incidents)
    blocks = [
        *incident_blocks(active_incidents, suggested=suggestion.id if suggestion else None),
        *([_requester()] if ask_requester else []),
        _subject(filled),
        _description(filled),
        *_impact_blocks(route, impact_phrases, support_email),
        *_detail_blocks(filled, redraw=bool(active_incidents)),
    ]
    return {
        "type": "modal",
        "callback_id": Callback.FILE_REQUEST.value,
        "title": plain("Kustomer support"),
        "submit": plain("File request"),
        "close": plain("Cancel"),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }


def _requester() -> Json:
    picker = {"type": "users_select", "placeholder": plain("The customer it is for")}
    hint = "The customer this request is for; left empty, it is filed in your name."
    return input_block(Field.REQUESTER.value, "Requester", picker, optional=True, hint=hint)


def _subject(filled: FilingPrefill) -> Json:
    element = text_input(
        max_length=SUBJECT_MAX,
        initial=filled.subject,
        placeholder="One line that names the problem",
    )
    return input_block(Field.SUBJECT.value, "Subject", element)


def _description(filled: FilingPrefill) -> Json:
    element = text_input(
        max_length=DESCRIPTION_MAX,
        multiline=True,
        initial=filled.description,
        placeholder="What happened, what you expected, and the steps to reproduce it",
    )
    hint = "One issue per request: file each separate problem as its own request."
    return input_block(Field.DESCRIPTION.value, "Description", element, hint=hint)


def _impact_blocks(
    route: IntakeChannel, phrases: Mapping[Priority, str], support_email: str | None
) -> list[Json]:
    """The impact picker on the chat route; a note that email means Medium otherwise."""
    if route is IntakeChannel.EMAIL:
        address = f" ({escape(support_email)})" if support_email else ""
        phrase = phrases.get(Priority.MEDIUM, "").strip()
        target = f" ({escape(phrase)})" if phrase else ""
        return [
            context(
                f"This request goes through the email route{address}, which is always "
                f"handled at *Medium* impact{target}."
            )
        ]
    options = [
        option(
            _impact_text(priority, phrases),
            priority.value,
            description=_CRITICAL_SHORT if priority is Priority.CRITICAL else None,
        )
        for priority in Priority
    ]
    examples = "; ".join(CRITICAL_EXAMPLES)
    return [
        input_block(Field.IMPACT.value, "Business impact", choices("radio_buttons", options)),
        context(
            f"*Critical* means your team cannot work: {examples}. "
            "Critical requests page our 24/7 on-call team."
        ),
    ]


def _impact_text(priority: Priority, phrases: Mapping[Priority, str]) -> str:
    phrase = phrases.get(priority, "").strip()
    return f"{priority.label} — {phrase}" if phrase else priority.label


def _detail_blocks(filled: FilingPrefill, *, redraw: bool) -> list[Json]:
    """Area, contact preference, project, kind and the one-issue tick box."""
    contacts = [option(pref.label, pref.value) for pref in ContactPreference]
    kinds = [option(kind.label, kind.value) for kind in RequestKind]
    project = text_input(max_length=PROJECT_MAX, initial=filled.project)
    return [
        _area(filled, redraw=redraw),
        input_block(
            Field.CONTACT.value,
            "How should we work with you?",
            choices("radio_buttons", contacts, initial=[filled.contact.value]),
        ),
        input_block(
            Field.PROJECT.value,
            "Project",
            project,
            optional=True,
            hint="Requests of the same project go to the same support engineer",
        ),
        input_block(
            Field.KIND.value,
            "Request type",
            choices("radio_buttons", kinds, initial=[filled.kind.value]),
        ),
        _one_issue(),
    ]


def _area(filled: FilingPrefill, *, redraw: bool) -> Json:
    """The affected area; `redraw`: a choice is sent at once, to suggest an incident."""
    select = static_select(
        action_id=Field.AREA.value,
        placeholder="Choose a part of Kustomer",
        options=[option(area.label, area.value) for area in AffectedArea],
        initial_value=filled.area.value if filled.area else None,
    )
    block = input_block(Field.AREA.value, "Affected area", select)
    return {**block, "dispatch_action": True} if redraw else block


def _one_issue() -> Json:
    tick = option(
        "This is one issue",
        ONE_ISSUE_VALUE,
        description="The list in my description belongs to a single problem",
    )
    return input_block(
        Field.ONE_ISSUE.value, "One issue", choices("checkboxes", [tick]), optional=True
    )
