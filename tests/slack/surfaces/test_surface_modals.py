"""The filing modal: fields, impact options per route, prefill, incidents, Slack limits."""

from __future__ import annotations

import itertools
from typing import Any

import pendulum
import pytest
from outage_samples import incident
from surface_checks import (
    HOSTILE,
    all_text,
    assert_no_live_tokens,
    assert_valid_view,
    block,
    walk,
)

from bot.domain.calendar import BusinessCalendar
from bot.domain.incidents import Incident
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
)
from bot.domain.sla import target_phrase
from bot.slack.ids import Callback, Field
from bot.slack.surfaces.modals import FilingPrefill, filing_modal

PHRASES = {
    Priority.LOW: "first response within 4 hours",
    Priority.MEDIUM: "first response within 2 hours",
    Priority.HIGH: "first response within 1 hour",
    Priority.CRITICAL: "first response within 15 minutes, 24/7",
}
INCIDENTS = [
    incident("inc_1", "Email delivery delayed", components=("Channel - Email",)),
    incident("inc_2", "Voice calls dropping", components=("Kustomer Voice",)),
]
CHAT = IntakeChannel.CHAT
EMAIL = IntakeChannel.EMAIL


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def test_chat_modal_chrome() -> None:
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, private_metadata='{"route":"chat"}')
    assert view["type"] == "modal"
    assert view["callback_id"] == Callback.FILE_REQUEST
    assert view["title"]["text"] == "Kustomer support"
    assert view["submit"]["text"] == "File request"
    assert view["close"]["text"] == "Cancel"
    assert view["private_metadata"] == '{"route":"chat"}'
    assert_valid_view(view)


def test_every_input_answers_to_its_field_id() -> None:
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, active_incidents=INCIDENTS)
    inputs = _inputs(view)
    assert list(inputs) == [
        Field.INCIDENT,
        Field.SUBJECT,
        Field.DESCRIPTION,
        Field.IMPACT,
        Field.AREA,
        Field.CONTACT,
        Field.PROJECT,
        Field.KIND,
        Field.ONE_ISSUE,
    ]
    for block_id, input_block in inputs.items():
        assert input_block["element"]["action_id"] == block_id
    optional = {block_id for block_id, b in inputs.items() if b["optional"]}
    assert optional == {Field.INCIDENT, Field.PROJECT, Field.ONE_ISSUE}


def test_text_inputs() -> None:
    inputs = _inputs(filing_modal(route=CHAT, impact_phrases=PHRASES))
    subject = inputs[Field.SUBJECT]["element"]
    description = inputs[Field.DESCRIPTION]["element"]
    project = inputs[Field.PROJECT]
    assert (subject["type"], subject["max_length"], subject["multiline"]) == (
        "plain_text_input",
        150,
        False,
    )
    assert (description["max_length"], description["multiline"]) == (3000, True)
    assert project["element"]["max_length"] == 120
    assert project["hint"]["text"] == "Requests of the same project go to the same support engineer"


def test_impact_options_show_their_targets() -> None:
    view = filing_modal(route=CHAT, impact_phrases=PHRASES)
    impact = _inputs(view)[Field.IMPACT]["element"]
    assert impact["type"] == "radio_buttons"
    assert "initial_option" not in impact
    assert [o["value"] for o in impact["options"]] == ["low", "medium", "high", "critical"]
    assert impact["options"][2]["text"]["text"] == "High — first response within 1 hour"
    critical = impact["options"][3]
    assert "description" in critical
    assert "Downtime" in critical["description"]["text"]
    index = view["blocks"].index(_inputs(view)[Field.IMPACT])
    note = all_text(view["blocks"][index + 1])
    for example in (
        "complete downtime or system failure",
        "most users cannot reach core features",
        "security breach or unauthorised access to sensitive data",
        "severe performance degradation",
    ):
        assert example in note


def test_options_across_the_friday_close_show_the_real_due_time() -> None:
    # Friday 20:40 in New York, 20 minutes before the desk closes for the weekend.
    friday = pendulum.datetime(2026, 11, 20, 20, 40, tz="America/New_York")
    calendar = BusinessCalendar.default()
    phrases = {p: target_phrase(p, friday, calendar) for p in Priority}

    view = filing_modal(route=CHAT, impact_phrases=phrases)

    texts = [o["text"]["text"] for o in _inputs(view)[Field.IMPACT]["element"]["options"]]
    assert texts == [
        "Low — by Sun 9:40 PM EST",
        "Medium — by Sun 7:40 PM EST",
        "High — by Sun 6:40 PM EST",
        "Critical — first response within 15 minutes, 24/7",
    ]
    # Option text is plain text: no date token, no mrkdwn.
    assert "<!date" not in str(view)
    assert_valid_view(view)


def test_long_impact_phrases_are_cut_to_fit() -> None:
    long = dict.fromkeys(Priority, "next business day, " + "x" * 200)
    view = filing_modal(route=CHAT, impact_phrases=long)
    for impact_option in _inputs(view)[Field.IMPACT]["element"]["options"]:
        assert len(impact_option["text"]["text"]) == 75
        assert impact_option["text"]["text"].endswith("…")
    assert_valid_view(view)


def test_missing_phrases_fall_back_to_labels() -> None:
    view = filing_modal(route=CHAT, impact_phrases={})
    texts = [o["text"]["text"] for o in _inputs(view)[Field.IMPACT]["element"]["options"]]
    assert texts == ["Low", "Medium", "High", "Critical"]
    assert_valid_view(view)


def test_email_route_has_no_impact_choice() -> None:
    view = filing_modal(route=EMAIL, impact_phrases=PHRASES, support_email="support@kustomer.com")
    assert Field.IMPACT not in _inputs(view)
    assert not any(node.get("action_id") == Field.IMPACT for node in walk(view))
    text = all_text(view)
    assert "*Medium*" in text
    assert "first response within 2 hours" in text
    assert "support@kustomer.com" in text
    assert "Critical" not in text
    assert_valid_view(view)


def test_choice_fields_and_defaults() -> None:
    inputs = _inputs(filing_modal(route=CHAT, impact_phrases=PHRASES))
    area = inputs[Field.AREA]["element"]
    assert area["type"] == "static_select"
    assert [o["text"]["text"] for o in area["options"]] == [a.label for a in AffectedArea]
    assert "initial_option" not in area
    contact = inputs[Field.CONTACT]["element"]
    assert [o["value"] for o in contact["options"]] == [c.value for c in ContactPreference]
    assert contact["initial_option"]["value"] == "thread"
    kind = inputs[Field.KIND]["element"]
    assert [o["text"]["text"] for o in kind["options"]] == ["Problem report", "Ad-hoc training"]
    assert kind["initial_option"]["value"] == "problem"
    one_issue = inputs[Field.ONE_ISSUE]["element"]
    assert one_issue["type"] == "checkboxes"
    assert one_issue["options"][0]["text"]["text"] == "This is one issue"
    assert one_issue["options"][0]["value"] == "one_issue"
    assert "description" in one_issue["options"][0]
    assert "initial_options" not in one_issue


def test_prefill_sets_initial_values() -> None:
    prefill = FilingPrefill(
        subject="Exports fail",
        description="The CSV export times out.",
        project="Migration",
        area=AffectedArea.API,
        contact=ContactPreference.VIDEO,
        kind=RequestKind.TRAINING,
    )
    inputs = _inputs(filing_modal(route=CHAT, impact_phrases=PHRASES, prefill=prefill))
    assert inputs[Field.SUBJECT]["element"]["initial_value"] == "Exports fail"
    assert inputs[Field.DESCRIPTION]["element"]["initial_value"] == "The CSV export times out."
    assert inputs[Field.PROJECT]["element"]["initial_value"] == "Migration"
    assert inputs[Field.AREA]["element"]["initial_option"]["value"] == "api"
    assert inputs[Field.CONTACT]["element"]["initial_option"]["value"] == "video"
    assert inputs[Field.KIND]["element"]["initial_option"]["value"] == "training"


def test_overlong_prefill_is_cut_to_the_input_limits() -> None:
    prefill = FilingPrefill(subject="s" * 500, description="d" * 9000, project="p" * 500)
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, prefill=prefill)
    inputs = _inputs(view)
    assert len(inputs[Field.SUBJECT]["element"]["initial_value"]) == 150
    assert len(inputs[Field.DESCRIPTION]["element"]["initial_value"]) == 3000
    assert len(inputs[Field.PROJECT]["element"]["initial_value"]) == 120
    assert_valid_view(view)


def test_hostile_prefill_stays_raw_in_inputs_only() -> None:
    prefill = FilingPrefill(subject=HOSTILE[:150], description=HOSTILE, project=HOSTILE[:120])
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, prefill=prefill)
    inputs = _inputs(view)
    # Input values are never rendered as mrkdwn: they hold what the person typed.
    assert inputs[Field.DESCRIPTION]["element"]["initial_value"] == HOSTILE
    for input_block in inputs.values():
        input_block["element"].pop("initial_value", None)
    assert_no_live_tokens(view)


def test_incidents_warn_and_offer_a_link() -> None:
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, active_incidents=INCIDENTS)
    warning = view["blocks"][0]
    assert warning["type"] == "section"
    assert "Email delivery delayed" in warning["text"]["text"]
    assert "Identified · since <!date^" in warning["text"]["text"]
    assert "Affects: Kustomer Voice" in warning["text"]["text"]
    question = block(view["blocks"], Field.INCIDENT)
    assert question["label"]["text"] == "Is this about one of these?"
    picker = question["element"]
    assert picker["type"] == "static_select"
    assert "initial_option" not in picker  # no area chosen: nothing to suggest
    assert [(o["value"], o["text"]["text"]) for o in picker["options"]] == [
        ("inc_1", "Email delivery delayed"),
        ("inc_2", "Voice calls dropping"),
    ]
    assert picker["options"][0]["description"]["text"] == "Identified · Channel - Email"
    area = block(view["blocks"], Field.AREA)
    assert area["dispatch_action"] is True  # choosing an area redraws with a suggestion
    assert_valid_view(view)


@pytest.mark.parametrize(
    ("area", "suggested"),
    [(AffectedArea.VOICE, "inc_2"), (AffectedArea.EMAIL, "inc_1"), (AffectedArea.API, None)],
)
def test_the_incident_of_the_chosen_area_is_suggested(
    area: AffectedArea, suggested: str | None
) -> None:
    prefill = FilingPrefill(area=area)
    view = filing_modal(
        route=CHAT, impact_phrases=PHRASES, prefill=prefill, active_incidents=INCIDENTS
    )
    (question,) = [b for b in view["blocks"] if b.get("block_id", "").startswith(Field.INCIDENT)]
    picker = question["element"]
    chosen = picker.get("initial_option", {}).get("value")
    assert chosen == suggested
    # A new id per suggestion: Slack would keep an old state over a new initial option.
    assert question["block_id"] == picker["action_id"]
    assert question["block_id"] == (f"incident.{suggested}" if suggested else "incident")
    assert_valid_view(view)


def test_no_incidents_no_incident_blocks() -> None:
    view = filing_modal(route=CHAT, impact_phrases=PHRASES)
    assert Field.INCIDENT not in _inputs(view)
    assert "incident" not in all_text(view).lower()
    assert "dispatch_action" not in block(view["blocks"], Field.AREA)


def test_many_and_hostile_incidents_fit() -> None:
    incidents = [
        incident(f"inc_{i}", f"{HOSTILE} {i}" * 3, components=(HOSTILE,) * 9) for i in range(150)
    ]
    incidents += [incident("", "no id"), incident("<!channel>", "bad id")]
    incidents += [incident("inc_1", "duplicate")]
    view = filing_modal(route=CHAT, impact_phrases=PHRASES, active_incidents=incidents)
    options = block(view["blocks"], Field.INCIDENT)["element"]["options"]
    assert len(options) == 100
    assert len({o["value"] for o in options}) == 100
    assert "…and 148 more" in view["blocks"][0]["text"]["text"]
    assert_no_live_tokens(view)
    assert_valid_view(view)


def test_incidents_without_usable_ids_warn_only() -> None:
    view = filing_modal(
        route=CHAT, impact_phrases=PHRASES, active_incidents=[incident("", "Outage")]
    )
    assert "Outage" in view["blocks"][0]["text"]["text"]
    assert Field.INCIDENT not in _inputs(view)
    assert_valid_view(view)


PREFILLS = [
    None,
    FilingPrefill(),
    FilingPrefill(
        subject="x" * 150, description="y" * 3000, project="z" * 120, area=AffectedArea.OTHER
    ),
]


@pytest.mark.parametrize(
    ("route", "prefill", "incidents", "email"),
    list(itertools.product([CHAT, EMAIL], PREFILLS, [(), INCIDENTS], [None, "help@x.com"])),
)
def test_every_combination_is_valid(
    route: IntakeChannel,
    prefill: FilingPrefill | None,
    incidents: list[Incident],
    email: str | None,
) -> None:
    view = filing_modal(
        route=route,
        impact_phrases=PHRASES,
        prefill=prefill,
        private_metadata="m" * 3000,
        active_incidents=incidents,
        support_email=email,
    )
    assert_valid_view(view)
    block_ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
