"""The App Home tab, end to end: opened, refreshed, and redrawn when a request changes."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.slack.ids import Action
from tests.conftest import new_request
from tests.e2e.flows import file


def _publishes(world: Harness, user_id: str) -> int:
    return len(_calls(world, user_id))


def _calls(world: Harness, user_id: str) -> list[Any]:
    return [
        call
        for call in world.standin.calls_to("views.publish")
        if call.params.get("user_id") == user_id
    ]


def _wait_home(world: Harness, user_id: str, *, after: int) -> dict[str, Any]:
    """Wait for the next views.publish for `user_id`; return the Home as Slack stored it."""
    world.standin.wait_for(
        "views.publish",
        count=after + 1,
        predicate=lambda call: call.params.get("user_id") == user_id,
    )
    home = world.standin.published_home(user_id)
    assert home is not None
    return home


def _open_home(world: Harness, user_id: str) -> dict[str, Any]:
    before = _publishes(world, user_id)
    response = world.driver.app_home_opened(user_id=user_id)
    assert response.status == 200
    return _wait_home(world, user_id, after=before)


def _text(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def _buttons(view: dict[str, Any], action: Action) -> list[dict[str, Any]]:
    return [
        element
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action
    ]


def test_a_requester_without_requests_sees_the_desk_and_how_to_file(world: Harness) -> None:
    home = _open_home(world, world.cast.admin)

    text = _text(home)
    assert home["type"] == "home"
    assert "*open* until <!date^" in text
    assert "You have no open requests" in text
    assert "Queue" not in text and "SLA report" not in text


def test_filing_redraws_the_requesters_home(world: Harness) -> None:
    _open_home(world, world.cast.admin)
    before = _publishes(world, world.cast.admin)

    file(world, world.cast.admin, impact="high", subject="Inbox <!here> is slow")
    home = _wait_home(world, world.cast.admin, after=before)

    text = _text(home)
    assert "*Your open requests* (1)" in text
    due = int(world.clock.now().add(hours=1).timestamp())
    line = "*KS-1001* Inbox &lt;!here&gt; is slow — High · New · first response due"
    assert f"{line} <!date^{due}^" in text
    assert "<!here>" not in text


def test_an_engineer_sees_the_queue_with_buttons_and_the_sla_report(world: Harness) -> None:
    file(world, world.cast.admin, impact="low", subject="Macros missing")
    file(world, world.cast.admin, impact="high", subject="Inbox is slow")

    home = _open_home(world, world.cast.engineer)

    text = _text(home)
    assert "*Queue* — 2 open" in text
    # Ordered by due instant: the High request (due in 1 h) before the Low one (4 h).
    assert text.index("KS-1002") < text.index("KS-1001")
    assert [b["value"] for b in _buttons(home, Action.TAKE)] == ["2", "1"]
    assert [b["value"] for b in _buttons(home, Action.RESOLVE)] == ["2", "1"]
    assert "*SLA report*" in text
    assert "2 filed · 0 open breaches" in text


def test_the_queue_lists_unanswered_first_then_answered_by_resolution_due(
    world: Harness, clock: ManualClock
) -> None:
    now = clock.now()
    answered = {"first_responded_at": now, "status": "in_progress"}
    with world.runtime.desk.db.unit_of_work() as uow:
        for subject, fields in [
            ("Answered, resolution due later", {**answered, "resolution_due_at": now.add(days=3)}),
            ("Unanswered, due later", {"first_response_due_at": now.add(hours=4)}),
            ("Answered, no resolution due", {**answered, "resolution_due_at": None}),
            ("Answered, resolution due soon", {**answered, "resolution_due_at": now.add(days=1)}),
            ("Unanswered, due soon", {"first_response_due_at": now.add(hours=1)}),
            (
                "Unanswered, breached",
                {"first_response_due_at": now.add(hours=2), "breached_at": now},
            ),
        ]:
            uow.requests.add(new_request(subject=subject, created_at=now, **fields))

    text = _text(_open_home(world, world.cast.engineer))

    shown = re.findall(r"\*KS-\d+\* ([A-Za-z, ]+)\\n", text)
    assert shown == [
        "Unanswered, breached",
        "Unanswered, due soon",
        "Unanswered, due later",
        "Answered, resolution due soon",
        "Answered, resolution due later",
        "Answered, no resolution due",
    ]
    assert "(overdue)" not in text


def test_taking_from_the_home_redraws_the_engineers_and_the_requesters_home(
    world: Harness,
) -> None:
    file(world, world.cast.admin, impact="high")
    engineer_home = _open_home(world, world.cast.engineer)
    engineer_before = _publishes(world, world.cast.engineer)
    requester_before = _publishes(world, world.cast.admin)

    (take,) = _buttons(engineer_home, Action.TAKE)
    response = world.driver.block_action(
        user_id=world.cast.engineer, action_id=Action.TAKE, value=take["value"], view=engineer_home
    )
    assert response.status == 200

    engineer_home = _wait_home(world, world.cast.engineer, after=engineer_before)
    requester_home = _wait_home(world, world.cast.admin, after=requester_before)
    assert "*assigned to you*" in _text(engineer_home)
    assert not _buttons(engineer_home, Action.TAKE)
    assert "High · In progress" in _text(requester_home)


def test_resolving_moves_the_request_to_recently_resolved(world: Harness) -> None:
    file(world, world.cast.admin, impact="medium", subject="Export fails")
    home = _open_home(world, world.cast.engineer)
    before = _publishes(world, world.cast.admin)

    (resolve,) = _buttons(home, Action.RESOLVE)
    world.driver.block_action(
        user_id=world.cast.engineer, action_id=Action.RESOLVE, value=resolve["value"], view=home
    )

    requester_home = _wait_home(world, world.cast.admin, after=before)
    text = _text(requester_home)
    assert "*Your open requests* (0)" in text
    assert "*Recently resolved*" in text and "*KS-1001* Export fails" in text


def test_the_refresh_button_redraws_the_home(world: Harness) -> None:
    home = _open_home(world, world.cast.customer)
    before = _publishes(world, world.cast.customer)

    response = world.driver.block_action(
        user_id=world.cast.customer, action_id=Action.HOME_REFRESH, value="home", view=home
    )

    assert response.status == 200
    _wait_home(world, world.cast.customer, after=before)


def test_the_messages_tab_is_left_alone(world: Harness) -> None:
    event = {"type": "app_home_opened", "user": world.cast.customer, "tab": "messages"}
    world.driver.event({**event, "channel": f"D{world.cast.customer}", "event_ts": "1.000001"})
    _open_home(world, world.cast.customer)  # a later Home event is still served

    assert _publishes(world, world.cast.customer) == 1


def test_homes_with_200_open_requests_stay_within_slack_limits(world: Harness) -> None:
    now = world.runtime.desk.clock.now()
    with world.runtime.desk.db.unit_of_work() as uow:
        for n in range(200):
            uow.requests.add(
                new_request(
                    requester_id=world.cast.admin,
                    subject=f"Request {n} <!channel>",
                    created_at=now.subtract(minutes=n),
                    first_response_due_at=now.add(hours=1).subtract(minutes=n),
                    breached_at=now if n % 10 == 0 else None,
                )
            )

    requester = _text(_open_home(world, world.cast.admin))
    engineer_home = _open_home(world, world.cast.engineer)

    # The fixture checks every published view against Slack's limits when the test ends.
    assert "*Your open requests* (200)" in requester
    assert "…and 175 more — see `/kustomer-support list`" in requester
    engineer = _text(engineer_home)
    assert "*Queue* — 200 open, :red_circle: 20 breached" in engineer
    assert "…and 180 more open requests" in engineer
    assert len(_buttons(engineer_home, Action.TAKE)) == 20
    assert "<!channel>" not in requester + engineer
    assert "200 filed" in engineer  # the SLA report covers the last 30 days
