"""Who may use chat: owners and admins pick the impact; everyone else gets the email route."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.slack.ids import Action, Field
from tests.e2e.conftest import sqlite_only
from tests.e2e.flows import (
    command,
    open_modal,
    settle,
    stored_requests,
    submit,
    submit_and_wait,
)

SUPPORT_EMAIL = "support@kustomer.example"


def _email_route_note(world: Harness, user_id: str) -> dict[str, Any]:
    """Type /kustomer-support as someone chat is closed to; return the note they got."""
    before = len(world.standin.responses())
    command(world, user_id)
    settle(world)
    responses = world.standin.responses()
    assert len(responses) == before + 1
    assert world.standin.views_opened() == []
    return responses[-1]


def _open_email_modal(world: Harness, user_id: str, note: dict[str, Any]) -> dict[str, Any]:
    """Press the note's button; return the modal it opened."""
    before = len(world.standin.calls_to("views.open"))
    response = world.driver.block_action(
        user_id=user_id,
        action_id=Action.OPEN_EMAIL_FILING,
        channel_id=world.cast.support_channel,
        container={
            "type": "message",
            "channel_id": world.cast.support_channel,
            "message_ts": "1700000000.000001",
            "is_ephemeral": True,
        },
        message={"ts": "1700000000.000001", "blocks": note["blocks"]},
    )
    assert response.status == 200
    world.standin.wait_for("views.open", count=before + 1)
    return world.standin.views_opened()[-1]


def _block_ids(view: dict[str, Any]) -> set[str]:
    return {b.get("block_id") for b in view["blocks"]}


@sqlite_only
@pytest.mark.parametrize("role", ["is_admin", "is_owner", "is_primary_owner"])
def test_owners_and_admins_get_the_impact_picker(world: Harness, role: str) -> None:
    world.standin.add_user("U0BOSS", name="boss", **{role: True})

    view = open_modal(world, "U0BOSS")

    assert Field.IMPACT.value in _block_ids(view)


def test_members_of_the_chat_admin_group_get_the_impact_picker(group_world: Harness) -> None:
    view = open_modal(group_world, "U0GRACE")

    assert Field.IMPACT.value in _block_ids(view)


def test_a_plain_member_gets_an_explanation_and_the_email_route(world: Harness) -> None:
    note = _email_route_note(world, world.cast.customer)

    assert note["response_type"] == "ephemeral"
    shown = json.dumps(note)
    assert SUPPORT_EMAIL in shown
    assert "owners and administrators" in shown
    buttons = [e for b in note["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [Action.OPEN_EMAIL_FILING]


def test_the_email_route_files_medium_through_email(world: Harness) -> None:
    customer = world.cast.customer
    view = _open_email_modal(world, customer, _email_route_note(world, customer))

    assert Field.IMPACT.value not in _block_ids(view)
    assert {Field.SUBJECT.value, Field.DESCRIPTION.value} <= _block_ids(view)
    assert "Medium" in json.dumps(view["blocks"])
    root = submit_and_wait(world, customer, view, impact=None, subject="Macros vanished")

    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    assert request.requester_id == customer
    assert root["channel"] == world.cast.support_channel


def test_on_the_professional_plan_even_admins_get_the_email_route(
    professional_world: Harness,
) -> None:
    world = professional_world
    note = _email_route_note(world, world.cast.admin)

    assert "Professional plan" in json.dumps(note)
    view = _open_email_modal(world, world.cast.admin, note)
    assert Field.IMPACT.value not in _block_ids(view)
    submit_and_wait(world, world.cast.admin, view, impact="critical")

    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")


def test_a_forged_chat_route_from_a_plain_member_still_files_medium_by_email(
    world: Harness,
) -> None:
    # The admin's chat modal, submitted by someone chat is closed to, with Critical chosen.
    forged = open_modal(world, world.cast.admin)

    root = submit_and_wait(world, world.cast.customer, forged, impact="critical")

    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    assert root["channel"] == world.cast.support_channel
    assert world.standin.messages(world.cast.oncall_channel) == []


@sqlite_only
def test_a_forged_chat_route_without_an_impact_is_still_filed(world: Harness) -> None:
    """The email modal has no impact field; claiming chat must not ask for one."""
    customer = world.cast.customer
    view = _open_email_modal(world, customer, _email_route_note(world, customer))
    forged = {**view, "private_metadata": json.dumps({"route": "chat"})}

    response = submit(world, customer, forged, impact=None)

    assert response.body in ("", "{}"), response.body
    settle(world)
    [request] = stored_requests(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
