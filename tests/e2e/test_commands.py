"""`/kustomer-support help | status | list`: ephemeral answers in the ack itself."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.devtools.limits import check_message
from bot.slack.ids import COMMAND
from tests.e2e.conftest import CLOSED_SATURDAY, sqlite_only
from tests.e2e.flows import command, file, settle


def _answer(world: Harness, user_id: str, text: str) -> dict[str, Any]:
    """The ack body of a subcommand: an ephemeral message valid by Slack's limits."""
    calls_before = len(world.standin.calls)
    body: dict[str, Any] = command(world, user_id, text).json()
    assert body["response_type"] == "ephemeral"
    assert check_message(body.get("blocks"), body.get("text")) == []
    settle(world)
    # Read-only answers: no modal, no post, no response_url round trip.
    methods = {call.method for call in world.standin.calls[calls_before:]}
    assert methods <= {"auth.test"}, methods
    return body


def _token_time(shown: str) -> pendulum.DateTime:
    """The instant of the first Slack date token in the text."""
    stamp = shown.split("<!date^", 1)[1].split("^", 1)[0]
    return pendulum.from_timestamp(int(stamp))


@sqlite_only
@pytest.mark.parametrize("text", ["help", "HELP", "frobnicate", "help me please"])
def test_help_and_unknown_subcommands_explain_the_commands(world: Harness, text: str) -> None:
    body = _answer(world, world.cast.customer, text)

    shown = json.dumps(body)
    for word in ("status", "list", "help"):
        assert f"{COMMAND} {word}" in shown
    assert "Critical" in shown
    assert world.standin.views_opened() == []


def test_status_while_open_says_until_when_and_lists_targets_and_my_requests(
    world: Harness, clock: ManualClock
) -> None:
    file(world, world.cast.admin, subject="Exports are slow", impact="high")
    clock.advance(minutes=15)

    body = _answer(world, world.cast.admin, "status")

    shown = json.dumps(body)
    assert "*open*" in shown
    # Open until Friday 21:00 in New York.
    closing = pendulum.datetime(2026, 11, 20, 21, 0, tz="America/New_York")
    assert _token_time(shown) == closing
    for line in ("Low*: first response within 4 hours", "Critical*: first response within 15"):
        assert line in shown
    assert "KS-1001" in shown and "Exports are slow" in shown
    assert "in 45 min" in shown


@sqlite_only
def test_status_while_closed_says_when_the_desk_opens(world: Harness, clock: ManualClock) -> None:
    clock.set(CLOSED_SATURDAY)

    body = _answer(world, world.cast.customer, "status")

    shown = json.dumps(body)
    assert "*closed*" in shown
    assert _token_time(shown) == pendulum.datetime(2026, 11, 22, 18, 0, tz="America/New_York")
    assert "High*: next business day" in shown
    assert "You have no open requests" in shown


def test_list_shows_only_my_requests(world: Harness) -> None:
    file(world, world.cast.admin, subject="Voice calls drop", impact="low")
    file(world, world.cast.admin, subject="API returns 500", impact="medium")

    mine = json.dumps(_answer(world, world.cast.admin, "list"))
    theirs = json.dumps(_answer(world, world.cast.customer, "list"))

    assert "KS-1001" in mine and "KS-1002" in mine
    assert "Voice calls drop" in mine and "API returns 500" in mine
    assert "KS-100" not in theirs
