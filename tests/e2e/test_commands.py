"""`/kustomer-support help | status | list`: ephemeral answers in the ack itself."""

from __future__ import annotations

import json
import re
from typing import Any

import pendulum
import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.devtools.limits import check_message
from bot.slack.ids import COMMAND, Action
from tests.conftest import new_request
from tests.e2e.conftest import CLOSED_SATURDAY, sqlite_only
from tests.e2e.flows import click, command, file, request_id, settle, stored


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
    # The due instant as a date token (15:00 + 1 h), not a countdown that ages.
    due = pendulum.datetime(2026, 11, 18, 16, 0, tz="America/New_York")
    assert f"first response due <!date^{int(due.timestamp())}^" in shown
    assert re.search(r"\b(in|overdue by) \d+ (min|h|d)\b|\bleft\b", shown) is None


@sqlite_only
def test_status_while_closed_says_when_the_desk_opens(world: Harness, clock: ManualClock) -> None:
    clock.set(CLOSED_SATURDAY)

    body = _answer(world, world.cast.customer, "status")

    shown = json.dumps(body)
    assert "*closed*" in shown
    assert _token_time(shown) == pendulum.datetime(2026, 11, 22, 18, 0, tz="America/New_York")
    assert "High*: by Sun 7:00 PM EST" in shown
    assert "You have no open requests" in shown


def test_list_shows_only_my_open_requests(world: Harness) -> None:
    file(world, world.cast.admin, subject="Voice calls drop", impact="low")
    file(world, world.cast.admin, subject="API returns 500", impact="medium")

    mine = json.dumps(_answer(world, world.cast.admin, "list"))
    theirs = json.dumps(_answer(world, world.cast.customer, "list"))

    assert "KS-1001" in mine and "KS-1002" in mine
    assert "Voice calls drop" in mine and "API returns 500" in mine
    assert mine.index("KS-1002") < mine.index("KS-1001")  # newest first
    assert "Recently resolved" not in mine
    assert "KS-100" not in theirs


def test_list_puts_resolved_requests_behind_a_line_of_at_most_five(
    world: Harness, clock: ManualClock
) -> None:
    kept = file(world, world.cast.admin, subject="Voice calls drop", impact="low")
    done = file(world, world.cast.admin, subject="API returns 500", impact="medium")
    clock.advance(minutes=5)
    click(world, world.cast.engineer, Action.RESOLVE, done)
    settle(world)
    assert stored(world, done).status == "resolved"
    _store_resolved(world, count=6)

    body = _answer(world, world.cast.admin, "list")

    shown = json.dumps(body)
    open_part, resolved_part = shown.split("*Recently resolved*")
    assert body["text"] == "Your open requests (1)"
    assert f"KS-{1000 + request_id(kept)}" in open_part and "Voice calls drop" in open_part
    assert "API returns 500" not in open_part and "Old issue" not in open_part
    # The five resolved last, newest first: the one resolved just now, then Old issue 0-3.
    keys = re.findall(r"\*(KS-\d+)\*", resolved_part)
    assert keys == [f"KS-{1000 + request_id(done)}", "KS-1003", "KS-1004", "KS-1005", "KS-1006"]
    assert "Old issue 4" not in shown and "Old issue 5" not in shown


def _store_resolved(world: Harness, *, count: int) -> None:
    """Resolved requests of the admin's, from an hour ago backwards, straight into the desk."""
    now = world.runtime.desk.clock.now()
    with world.runtime.desk.db.unit_of_work() as uow:
        for n in range(count):
            created = now.subtract(days=2, hours=n)
            uow.requests.add(
                new_request(
                    requester_id=world.cast.admin,
                    subject=f"Old issue {n}",
                    status="resolved",
                    created_at=created,
                    first_response_due_at=created.add(hours=1),
                    first_responded_at=created.add(minutes=20),
                    resolved_at=now.subtract(hours=1 + n),
                )
            )
