"""Filing through /kustomer-support, end to end over signed HTTP: the modal and its checks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.domain.requests import Priority
from bot.domain.sla import target_phrase
from bot.slack.ids import Callback, Field
from bot.slack.surfaces.modals import CRITICAL_EXAMPLES
from tests.e2e.conftest import CLOSED_SATURDAY, sqlite_only
from tests.e2e.flows import file, open_modal, settle, stored_requests, submit, submit_and_wait


def _impact_options(view: dict[str, Any]) -> dict[str, str]:
    impact = next(b for b in view["blocks"] if b.get("block_id") == Field.IMPACT)
    return {o["value"]: o["text"]["text"] for o in impact["element"]["options"]}


def _expected(world: Harness, priority: Priority) -> str:
    phrase = target_phrase(priority, world.clock.now(), world.runtime.desk.policy.calendar)
    return f"{priority.label} — {phrase}"


def test_the_modal_lists_four_impacts_with_their_targets_as_of_now(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)

    assert view["callback_id"] == Callback.FILE_REQUEST
    options = _impact_options(view)
    assert list(options) == ["low", "medium", "high", "critical"]
    assert options == {p.value: _expected(world, p) for p in Priority}
    assert options["high"] == "High — first response within 1 hour"
    assert options["low"] == "Low — first response within 4 hours"
    assert options["critical"] == "Critical — first response within 15 minutes, 24/7"


@sqlite_only
def test_the_modal_shows_what_critical_means(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)

    shown = json.dumps(view["blocks"])
    for example in CRITICAL_EXAMPLES:
        assert example in shown
    impact = next(b for b in view["blocks"] if b.get("block_id") == Field.IMPACT)
    critical = next(o for o in impact["element"]["options"] if o["value"] == "critical")
    assert "Downtime" in critical["description"]["text"]


@sqlite_only
def test_while_the_desk_is_closed_targets_name_the_due_time(
    world: Harness, clock: ManualClock
) -> None:
    clock.set(CLOSED_SATURDAY)

    options = _impact_options(open_modal(world, world.cast.admin))

    # The desk opens on Sunday at 18:00 in New York; High has one business hour.
    assert options["high"] == "High — by Sun 7:00 PM EST"
    assert options["medium"] == "Medium — by Sun 8:00 PM EST"
    assert options["low"] == "Low — by Sun 10:00 PM EST"
    assert options["critical"] == "Critical — first response within 15 minutes, 24/7"
    assert options == {p.value: _expected(world, p) for p in Priority}


INVALID = [
    pytest.param({"subject": ""}, Field.SUBJECT, id="empty-subject"),
    pytest.param({"subject": "   \n  "}, Field.SUBJECT, id="blank-subject"),
    pytest.param({"subject": "x" * 151}, Field.SUBJECT, id="subject-over-150"),
    pytest.param({"description": ""}, Field.DESCRIPTION, id="empty-description"),
    pytest.param({"description": "y" * 3001}, Field.DESCRIPTION, id="description-over-3000"),
    pytest.param(
        {"description": "1. The inbox does not load\n2. Exports fail with an error"},
        Field.DESCRIPTION,
        id="several-issues",
    ),
    pytest.param(
        {"description": "- Chat widget is gone from the site\n- Reports show no data at all"},
        Field.DESCRIPTION,
        id="several-bulleted-issues",
    ),
]


@sqlite_only
@pytest.mark.parametrize(("values", "field"), INVALID)
def test_bad_input_gets_inline_errors_and_files_nothing(
    world: Harness, values: dict[str, Any], field: Field
) -> None:
    view = open_modal(world, world.cast.admin)
    posts_before = len(world.standin.calls_to("chat.postMessage"))

    response = submit(world, world.cast.admin, view, **values)

    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [field.value]
    assert answer["errors"][field.value].strip()
    settle(world)
    assert stored_requests(world) == []
    assert len(world.standin.calls_to("chat.postMessage")) == posts_before


@sqlite_only
def test_a_missing_impact_is_an_inline_error(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)

    answer = submit(world, world.cast.admin, view, impact=None).json()

    assert answer == {
        "response_action": "errors",
        "errors": {Field.IMPACT.value: answer["errors"]["impact"]},
    }


def test_several_issues_are_accepted_when_ticked_as_one(world: Harness) -> None:
    description = "1. The inbox does not load\n2. Exports fail with an error"

    root = file(world, world.cast.admin, description=description, one_issue=True)

    [request] = stored_requests(world)
    assert request.description == description
    assert root["channel"] == world.cast.support_channel


def test_a_submission_stores_every_field(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)
    submit_and_wait(
        world,
        world.cast.admin,
        view,
        subject="Voice calls drop",
        description="Calls drop after 30 seconds.",
        impact="medium",
        area="voice",
        contact="video",
        project="Atlas",
        kind="training",
    )

    [request] = stored_requests(world)
    assert (request.subject, request.priority, request.area) == (
        "Voice calls drop",
        "medium",
        "voice",
    )
    assert (request.contact, request.project, request.kind) == ("video", "Atlas", "training")
    assert request.intake_channel == "chat"
    assert request.created_at == world.clock.now()
