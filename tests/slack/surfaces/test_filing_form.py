"""Parsing the filing modal's submission, its metadata, and the values buttons carry."""

from __future__ import annotations

import json
from typing import Any

import pytest
from surface_checks import HOSTILE, LIVE_TOKENS

from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
)
from bot.slack.forms import (
    SEVERAL_ISSUES,
    FilingForm,
    FilingMetadata,
    parse_filing,
    parse_priority_option,
    parse_request_id,
    prefill_value,
    priority_option_value,
    read_prefill,
)

CHAT = IntakeChannel.CHAT
EMAIL = IntakeChannel.EMAIL


def _text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _one(value: str | None, kind: str = "radio_buttons") -> dict[str, Any]:
    chosen = {"text": {"type": "plain_text", "text": "x"}, "value": value} if value else None
    return {"type": kind, "selected_option": chosen}


def _ticks(*values: str) -> dict[str, Any]:
    return {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}


def state(**overrides: dict[str, Any] | None) -> dict[str, Any]:
    """A view_submission's state.values, as Slack nests them: {block_id: {action_id: …}}."""
    fields: dict[str, dict[str, Any] | None] = {
        "subject": _text("Inbox does not load"),
        "description": _text("Every agent sees a spinner since 9:00."),
        "impact": _one("high"),
        "area": _one("email", "static_select"),
        "contact": _one("video"),
        "project": _text(None),
        "kind": _one("training"),
        "one_issue": _ticks(),
    }
    fields.update(overrides)
    return {name: {name: value} for name, value in fields.items() if value is not None}


def test_happy_path() -> None:
    form = parse_filing(state(), route=CHAT)
    assert form == FilingForm(
        subject="Inbox does not load",
        description="Every agent sees a spinner since 9:00.",
        priority=Priority.HIGH,
        area=AffectedArea.EMAIL,
        contact=ContactPreference.VIDEO,
        project=None,
        kind=RequestKind.TRAINING,
        one_issue=False,
        incident_id=None,
    )


def test_text_is_stripped_and_an_empty_project_is_none() -> None:
    values = state(subject=_text("  Inbox  "), project=_text("   "))
    form = parse_filing(values, route=CHAT)
    assert isinstance(form, FilingForm)
    assert form.subject == "Inbox"
    assert form.project is None
    named = parse_filing(state(project=_text("  Migration Q3 ")), route=CHAT)
    assert isinstance(named, FilingForm)
    assert named.project == "Migration Q3"


def test_email_route_is_always_medium() -> None:
    without = parse_filing(state(impact=None), route=EMAIL)
    forged = parse_filing(state(impact=_one("critical")), route=EMAIL)
    assert isinstance(without, FilingForm)
    assert isinstance(forged, FilingForm)
    assert without.priority is Priority.MEDIUM
    assert forged.priority is Priority.MEDIUM


@pytest.mark.parametrize("impact", [None, _one(None), _one("urgent")])
def test_chat_route_needs_an_impact(impact: dict[str, Any] | None) -> None:
    assert parse_filing(state(impact=impact), route=CHAT) == {
        "impact": "Choose the business impact."
    }


@pytest.mark.parametrize("subject", [None, "", "   \n "])
def test_blank_subject(subject: str | None) -> None:
    errors = parse_filing(state(subject=_text(subject)), route=CHAT)
    assert errors == {"subject": "Give your request a subject."}


@pytest.mark.parametrize("description", [None, "", "  \n\t "])
def test_blank_description(description: str | None) -> None:
    errors = parse_filing(state(description=_text(description)), route=CHAT)
    assert errors == {"description": "Describe the issue."}


def test_lengths_are_checked_again_because_slack_can_be_bypassed() -> None:
    assert isinstance(parse_filing(state(subject=_text("s" * 150)), route=CHAT), FilingForm)
    assert isinstance(parse_filing(state(description=_text("d" * 3000)), route=CHAT), FilingForm)
    errors = parse_filing(
        state(
            subject=_text("s" * 151),
            description=_text("d" * 3001),
            project=_text("p" * 121),
        ),
        route=CHAT,
    )
    assert errors == {
        "subject": "Keep the subject within 150 characters.",
        "description": "Keep the description within 3000 characters.",
        "project": "Keep the project name within 120 characters.",
    }


SEVERAL = "1. The inbox does not load at all\n2. CSV exports time out for admins"


def test_several_issues_are_refused_inline() -> None:
    errors = parse_filing(state(description=_text(SEVERAL)), route=CHAT)
    assert errors == {"description": SEVERAL_ISSUES}
    assert "This is one issue" in SEVERAL_ISSUES


def test_ticking_one_issue_accepts_the_list() -> None:
    values = state(description=_text(SEVERAL), one_issue=_ticks("one_issue"))
    form = parse_filing(values, route=CHAT)
    assert isinstance(form, FilingForm)
    assert form.one_issue is True
    assert form.description == SEVERAL


def test_every_error_at_once() -> None:
    values = state(subject=_text(""), description=_text(""), impact=None, area=None)
    assert set(parse_filing(values, route=CHAT)) == {"subject", "description", "impact", "area"}


def test_unknown_area_is_an_error_and_other_choices_fall_back() -> None:
    assert parse_filing(state(area=_one("fax", "static_select")), route=CHAT) == {
        "area": "Choose the affected area."
    }
    form = parse_filing(state(contact=_one("pigeon"), kind=None), route=CHAT)
    assert isinstance(form, FilingForm)
    assert form.contact is ContactPreference.THREAD
    assert form.kind is RequestKind.PROBLEM


def test_incident_link() -> None:
    form = parse_filing(state(incident=_one("inc_4x9k", "static_select")), route=CHAT)
    forged = parse_filing(state(incident=_one("<!channel>", "static_select")), route=CHAT)
    assert isinstance(form, FilingForm)
    assert isinstance(forged, FilingForm)
    assert form.incident_id == "inc_4x9k"
    assert forged.incident_id is None


@pytest.mark.parametrize(
    "values",
    [{}, {"subject": "oops"}, {"subject": {"subject": None}}, {"impact": {"impact": [1, 2]}}],
)
def test_malformed_state_gives_errors_not_a_crash(values: dict[str, Any]) -> None:
    result = parse_filing(values, route=CHAT)
    assert isinstance(result, dict)
    assert {"subject", "description", "impact", "area"} <= set(result)


def test_metadata_round_trip() -> None:
    meta = FilingMetadata(
        route=EMAIL,
        origin_channel_id="C0SUPPORT",
        origin_thread_ts="1700000000.000100",
        origin_message_ts="1700000001.000200",
    )
    text = meta.dumps()
    assert len(text) <= 3000
    assert FilingMetadata.loads(text) == meta
    assert FilingMetadata.loads(FilingMetadata().dumps()) == FilingMetadata()


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "",
        "not json",
        "[1, 2]",
        '{"route": "fax"}',
        '{"origin_channel_id": 5}',
        json.dumps({"origin_channel_id": "C" * 5000}),
        "{" * 10_000,
    ],
)
def test_metadata_garbage_gives_defaults(garbage: str | None) -> None:
    assert FilingMetadata.loads(garbage) == FilingMetadata()


def test_metadata_ignores_unknown_keys() -> None:
    meta = FilingMetadata.loads('{"route": "email", "extra": 1}')
    assert meta.route is EMAIL


def test_prefill_value_round_trips_without_live_tokens() -> None:
    value = prefill_value(HOSTILE)
    assert read_prefill(value) == HOSTILE
    assert json.loads(value) == {"t": HOSTILE}
    for token in LIVE_TOKENS:
        assert token not in value


@pytest.mark.parametrize(
    "text",
    ["x" * 5000, "<" * 5000, "é" * 5000, '\n"\\' * 2000, "😀" * 3000],
    ids=["ascii", "escaped", "accented", "json-escaped", "emoji"],
)
def test_prefill_value_fits_a_button(text: str) -> None:
    value = prefill_value(text)
    assert len(value) <= 2000
    assert len(value) >= 1990
    kept = read_prefill(value)
    assert kept.endswith("…")
    assert text.startswith(kept[:-1])


@pytest.mark.parametrize("garbage", [None, "", "nope", "[]", '{"t": 5}', '{"x": "y"}'])
def test_read_prefill_garbage(garbage: str | None) -> None:
    assert read_prefill(garbage) == ""


def test_priority_option_values() -> None:
    value = priority_option_value(42, Priority.CRITICAL)
    assert value == "42:critical"
    assert parse_priority_option(value) == (42, Priority.CRITICAL)
    for garbage in (None, "", "42", "x:high", "42:urgent", ":high", "-1:low"):
        assert parse_priority_option(garbage) is None


def test_request_id_values() -> None:
    assert parse_request_id("42") == 42
    for garbage in (None, "", "4 2", "-1", "x", "٤٢", "9" * 30):
        assert parse_request_id(garbage) is None
