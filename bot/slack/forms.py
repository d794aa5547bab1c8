"""Read what Slack sends back from the filing modal and its buttons into typed values."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic import Field as Constrained

from bot.domain.intake import lists_several_issues
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
)
from bot.slack.ids import Field

# The modal's input limits and the one-issue option value (modals.py builds with them).
SUBJECT_MAX = 150
DESCRIPTION_MAX = 3000
PROJECT_MAX = 120
ONE_ISSUE_VALUE = "one_issue"
SEVERAL_ISSUES = (
    "This lists several issues. File each as its own request, or tick “This is one issue”."
)
PREFILL_VALUE_MAX = 2000
# Status-page incident ids are short and plain; anything else is not offered or accepted.
INCIDENT_ID = re.compile(r"[\w.:-]{1,64}")
# Where a prefill button's text was written: a channel id and a message ts.
_SLACK_ID = re.compile(r"[A-Z0-9]{2,32}")
_TS = re.compile(r"\d{1,12}\.\d{1,8}")

E = TypeVar("E", bound=StrEnum)
SlackId = Annotated[str, StringConstraints(max_length=64)]


class FilingForm(BaseModel):
    """A valid filing-modal submission."""

    model_config = ConfigDict(frozen=True)

    subject: str
    description: str
    priority: Priority
    area: AffectedArea
    contact: ContactPreference = ContactPreference.THREAD
    project: str | None = None
    kind: RequestKind = RequestKind.PROBLEM
    one_issue: bool = False
    incident_id: str | None = None


class FilingMetadata(BaseModel):
    """What travels in the modal's private_metadata: the route and where filing began."""

    model_config = ConfigDict(frozen=True)

    route: IntakeChannel = IntakeChannel.CHAT
    origin_channel_id: SlackId | None = None
    origin_thread_ts: SlackId | None = None
    origin_message_ts: SlackId | None = None
    prompt_id: Annotated[int, Constrained(ge=1, lt=2**31)] | None = None  # from a prompt (§11)
    on_behalf: bool = False  # staff filing for a customer account: the modal names the customer

    def dumps(self) -> str:
        """Compact JSON, well under Slack's 3000-character private_metadata limit."""
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def loads(cls, text: str | None) -> FilingMetadata:
        """Parse private_metadata; anything unreadable gives the defaults."""
        if not isinstance(text, str):
            return cls()
        try:
            return cls.model_validate_json(text or "{}")
        except ValidationError:
            return cls()


def parse_filing(values: Mapping[str, Any], *, route: IntakeChannel) -> FilingForm | dict[str, str]:
    """The submitted form, or Slack's inline errors as {block_id: message}."""
    subject = (_value(values, Field.SUBJECT) or "").strip()
    description = (_value(values, Field.DESCRIPTION) or "").strip()
    project = (_value(values, Field.PROJECT) or "").strip() or None
    one_issue = ONE_ISSUE_VALUE in _selected(values, Field.ONE_ISSUE)
    priority = Priority.MEDIUM if route is IntakeChannel.EMAIL else _choice(values, Priority)
    area = _choice(values, AffectedArea)
    errors = _text_errors(subject, description, project, one_issue=one_issue)
    if priority is None:
        errors[Field.IMPACT.value] = "Choose the business impact."
    if area is None:
        errors[Field.AREA.value] = "Choose the affected area."
    if errors or priority is None or area is None:
        return errors
    incident = _incident_choice(values)
    return FilingForm(
        subject=subject,
        description=description,
        priority=priority,
        area=area,
        contact=_choice(values, ContactPreference) or ContactPreference.THREAD,
        project=project,
        kind=_choice(values, RequestKind) or RequestKind.PROBLEM,
        one_issue=one_issue,
        incident_id=incident if incident and INCIDENT_ID.fullmatch(incident) else None,
    )


def incident_block_id(suggested: str | None) -> str:
    """The picker's id, new per suggestion: Slack keeps the state of an input it redraws."""
    return f"{Field.INCIDENT.value}.{suggested}" if suggested else Field.INCIDENT.value


def _incident_choice(values: Mapping[str, Any]) -> str | None:
    """The incident chosen in the picker, whatever suggestion it was drawn with."""
    ids = values if isinstance(values, Mapping) else {}
    pickers = [b for b in ids if isinstance(b, str) and b.split(".")[0] == Field.INCIDENT]
    return next((chosen for block in pickers for chosen in _selected(values, block)), None)


def _text_errors(
    subject: str, description: str, project: str | None, *, one_issue: bool
) -> dict[str, str]:
    """Slack enforces the lengths in its client, but a crafted submission can skip that."""
    errors: dict[str, str] = {}
    if not subject:
        errors[Field.SUBJECT.value] = "Give your request a subject."
    elif len(subject) > SUBJECT_MAX:
        errors[Field.SUBJECT.value] = f"Keep the subject within {SUBJECT_MAX} characters."
    if not description:
        errors[Field.DESCRIPTION.value] = "Describe the issue."
    elif len(description) > DESCRIPTION_MAX:
        errors[Field.DESCRIPTION.value] = (
            f"Keep the description within {DESCRIPTION_MAX} characters."
        )
    elif not one_issue and lists_several_issues(description):
        errors[Field.DESCRIPTION.value] = SEVERAL_ISSUES
    if project and len(project) > PROJECT_MAX:
        errors[Field.PROJECT.value] = f"Keep the project name within {PROJECT_MAX} characters."
    return errors


_FIELD_OF: dict[type[StrEnum], Field] = {
    Priority: Field.IMPACT,
    AffectedArea: Field.AREA,
    ContactPreference: Field.CONTACT,
    RequestKind: Field.KIND,
}


def _choice(values: Mapping[str, Any], kind: type[E]) -> E | None:
    """The chosen option of a radio or select field as an enum member, if valid."""
    chosen = _selected(values, _FIELD_OF[kind])
    try:
        return kind(chosen[0]) if chosen else None
    except ValueError:
        return None


def _state(values: Mapping[str, Any], field: Field | str) -> Mapping[str, Any]:
    """The state of one input; Slack nests it as values[block_id][action_id]."""
    if not isinstance(values, Mapping):
        return {}  # a crafted submission can send anything as state.values
    block = values.get(str(field))
    state = block.get(str(field)) if isinstance(block, Mapping) else None
    return state if isinstance(state, Mapping) else {}


def _value(values: Mapping[str, Any], field: Field) -> str | None:
    value = _state(values, field).get("value")
    return value if isinstance(value, str) else None


def _selected(values: Mapping[str, Any], field: Field | str) -> list[str]:
    """Option values chosen in a select, radio or checkboxes input."""
    state = _state(values, field)
    options = state.get("selected_options")
    if not isinstance(options, list):
        options = [state.get("selected_option")]
    return [
        option["value"]
        for option in options
        if isinstance(option, Mapping) and isinstance(option.get("value"), str)
    ]


def prefill_value(
    text: str, *, limit: int = PREFILL_VALUE_MAX, origin: tuple[str, str] | None = None
) -> str:
    """A button value carrying prefill text: JSON {"t": text} in ≤ `limit` characters.

    `origin` (channel id, thread ts) names the conversation the text was written in, so the
    new request can say there where it went. <, > and & are written as JSON \\u escapes, so
    the value never holds a live Slack token.
    """
    value = _encode_prefill(text, origin)
    if len(value) <= limit:
        return value
    # The longest prefix whose value (with "…") fits: escapes make the size uneven.
    low, high = 0, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_encode_prefill(text[:middle] + "…", origin)) <= limit:
            low = middle
        else:
            high = middle - 1
    return _encode_prefill(text[:low] + "…", origin)


def read_prefill(value: str | None) -> str:
    """The text a prefill button carries; "" for anything unreadable."""
    text = _decode_prefill(value).get("t")
    return text if isinstance(text, str) else ""


def read_origin(value: str | None) -> tuple[str, str] | None:
    """The (channel id, thread ts) a prefill button names, if it names a plausible one."""
    origin = _decode_prefill(value).get("o")
    if not isinstance(origin, list) or len(origin) != 2:
        return None
    channel, thread_ts = origin
    if not (isinstance(channel, str) and isinstance(thread_ts, str)):
        return None
    if not (_SLACK_ID.fullmatch(channel) and _TS.fullmatch(thread_ts)):
        return None
    return channel, thread_ts


def _decode_prefill(value: str | None) -> dict[str, Any]:
    try:
        payload = json.loads(value or "")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _encode_prefill(text: str, origin: tuple[str, str] | None = None) -> str:
    fields: dict[str, Any] = {"t": text}
    if origin is not None:
        fields["o"] = list(origin)
    raw = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def priority_option_value(request_id: int, priority: Priority) -> str:
    """The value of a "Change priority" option: request id and priority, e.g. "42:high"."""
    return f"{request_id}:{priority.value}"


def parse_priority_option(value: str | None) -> tuple[int, Priority] | None:
    """Read a "Change priority" option value back; None for anything malformed."""
    request_id, _, priority = (value or "").partition(":")
    parsed = parse_request_id(request_id)
    try:
        return (parsed, Priority(priority)) if parsed is not None else None
    except ValueError:
        return None


def parse_request_id(value: str | None) -> int | None:
    """The request id a button carries as its value; None for anything malformed."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
