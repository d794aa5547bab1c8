"""Requests during a vendor outage, end to end: the whole bot, a status page on loopback.

The filing modal lists the vendor's active incidents and suggests the one of the chosen area;
a linked request shows its incident; Critical requests of one outage page on-call once and
share one summary in the on-call channel; its resolution reaches every linked conversation
once; `/kustomer-support status` shows the incidents and the last 90 days' downtime.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.devtools.limits import check_message
from bot.devtools.status_feed import RECENT, StatusPageStandIn, incident_json
from bot.slack.ids import Field
from tests.e2e.conftest import WorldFactory, sqlite_only
from tests.e2e.flows import (
    command,
    current,
    open_modal,
    roots,
    settle,
    stored,
    submit,
    thread_replies,
)

WAIT = 10.0
BEA = "U0BEA"  # a second customer admin: two requesters of one outage
GROUP_MENTION = "<!subteam^S0ONCALL>"


def email_incident() -> dict[str, Any]:
    return incident_json(
        "inc1",
        "Email delivery delayed",
        created_at="2026-11-18T20:00:00Z",
        impact="major",
        components=("Channel - Email", "API"),
        updates=(
            ("u1", "investigating", "We are looking into slow email.", "2026-11-18T20:00:00Z"),
        ),
    )


def past_incident(incident_id: str, name: str, start: str, end: str) -> dict[str, Any]:
    return incident_json(
        incident_id,
        name,
        created_at=start,
        status="resolved",
        resolved_at=end,
        components=("Channel - Chat",),
        updates=((f"{incident_id}-r", "resolved", "Fixed.", end),),
    )


HISTORY = [
    past_incident("old1", "Chat widget slow", "2026-10-01T10:00:00Z", "2026-10-01T12:38:00Z"),
    past_incident("old2", "Chat outage", "2026-11-01T03:00:00Z", "2026-11-01T11:13:00Z"),
    # More than 90 days before the desk's now (18 November): not in the history.
    past_incident("ancient", "Summer outage", "2026-07-01T10:00:00Z", "2026-07-01T11:00:00Z"),
]


@pytest.fixture
def page() -> Iterator[StatusPageStandIn]:
    page = StatusPageStandIn([*HISTORY, email_incident()]).start()
    yield page
    page.stop()


@pytest.fixture
def world(make_world: WorldFactory, page: StatusPageStandIn) -> Harness:
    """The bot polling the page every second, once it holds the active incident."""
    world = make_world(status_page_url=page.url, status_poll_seconds=1)
    world.standin.add_user(BEA, name="bea", is_admin=True)
    eventually(lambda: len(page.hits(RECENT)) >= 1 and _active_known(world))
    return world


def _active_known(world: Harness) -> bool:
    with world.runtime.desk.db.unit_of_work() as uow:
        return [incident.id for incident in uow.status.active()] == ["inc1"]


def eventually(check: Callable[[], Any], *, timeout: float = WAIT) -> Any:
    """Wait until `check()` is truthy; its value."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "the bot did not get there in time"
        time.sleep(0.05)
    return value


def file(world: Harness, user_id: str, **values: Any) -> dict[str, Any]:
    """File through the modal; the new request's root message (summaries are not roots)."""
    before = {m["ts"] for m in request_roots(world)}
    response = submit(world, user_id, open_modal(world, user_id), **values)
    assert response.status == 200 and response.body in ("", "{}"), response.body
    settle(world)
    (root,) = [m for m in request_roots(world) if m["ts"] not in before]
    return root


def blocks_text(message: dict[str, Any]) -> str:
    """Everything a message or view shows, as one string to search (as written, unescaped)."""
    return json.dumps({"text": message.get("text"), "blocks": message.get("blocks")}, **_PLAIN)


_PLAIN: dict[str, Any] = {"ensure_ascii": False}


def request_roots(world: Harness) -> list[dict[str, Any]]:
    channels = (world.cast.support_channel, world.cast.oncall_channel)
    found = [m | {"channel": c} for c in channels for m in roots(world, c)]
    return [m for m in found if m["text"].startswith("KS-")]


def summaries(world: Harness) -> list[dict[str, Any]]:
    channel = world.cast.oncall_channel
    found = [m | {"channel": channel} for m in roots(world, channel)]
    return [m for m in found if m["text"].startswith("Outage summary")]


def test_the_modal_lists_the_incident_and_suggests_it_for_its_area(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)

    shown = blocks_text(view)
    for words in (
        "Known vendor incidents right now",
        "Email delivery delayed",
        "Investigating · since <!date^",
        "Affects: Channel - Email, API",
        "Is this about one of these?",
    ):
        assert words in shown
    (picker,) = [b for b in view["blocks"] if b.get("block_id") == Field.INCIDENT]
    assert [o["value"] for o in picker["element"]["options"]] == ["inc1"]
    assert "initial_option" not in picker["element"]

    world.driver.block_action(
        user_id=world.cast.admin,
        action_id=Field.AREA.value,
        view=view,
        selected_option={"text": {"type": "plain_text", "text": "Email"}, "value": "email"},
    )
    settle(world)

    redrawn = world.standin.view(view["id"])
    assert redrawn is not None
    (suggested,) = [b for b in redrawn["blocks"] if b.get("block_id", "").startswith("incident")]
    assert suggested["element"]["initial_option"]["value"] == "inc1"
    assert suggested["block_id"] == "incident.inc1"
    (area,) = [b for b in redrawn["blocks"] if b.get("block_id") == Field.AREA]
    assert area["element"]["initial_option"]["value"] == "email"


def test_a_linked_request_shows_its_incident(world: Harness) -> None:
    root = file(world, world.cast.admin, impact="high", area="email", incident="inc1")

    assert stored(world, root).incident_id == "inc1"
    shown = blocks_text(root)
    assert "Vendor incident: *Email delivery delayed* · Investigating" in shown
    assert "https://stspg.example/inc1|status page" in shown
    assert summaries(world) == []  # a High request pages nobody


def test_two_critical_requests_page_once_and_share_a_summary(
    world: Harness, page: StatusPageStandIn
) -> None:
    first = file(world, world.cast.admin, impact="critical", area="email", incident="inc1")
    (summary,) = eventually(lambda: summaries(world))
    assert "*1 Critical request* during this vendor incident" in blocks_text(summary)

    second = file(world, BEA, impact="critical", area="email")  # for the area, not linked

    assert (first["channel"], second["channel"]) == (world.cast.oncall_channel,) * 2
    assert GROUP_MENTION in blocks_text(first)
    assert GROUP_MENTION not in blocks_text(second)
    assert "On-call was paged once for this incident" in blocks_text(second)
    assert len(summaries(world)) == 1
    edited = blocks_text(current(world, summary))
    assert "*2 Critical requests* during this vendor incident" in edited
    assert "<@U0ADA>, <@U0BEA>" in edited
    assert GROUP_MENTION not in edited

    page.post_update(
        "inc1", "u2", "resolved", "Email flows normally again.", "2026-11-18T22:38:00Z"
    )

    for root in (first, second):
        (note,) = eventually(lambda root=root: thread_replies(world, root))
        assert "*Email delivery delayed* is resolved (2h 38m). Is your problem gone?" in (
            blocks_text(note)
        )
    resolved = eventually(
        lambda: (
            "resolved this incident" in blocks_text(current(world, summary))
            and current(world, summary)
        )
    )
    assert "2 still open" in blocks_text(resolved)
    polls = len(page.hits(RECENT))
    eventually(lambda: len(page.hits(RECENT)) >= polls + 3)
    assert [len(thread_replies(world, root)) for root in (first, second)] == [1, 1]
    assert len(summaries(world)) == 1


def test_the_status_command_shows_the_incidents_and_the_downtime(world: Harness) -> None:
    body = command(world, world.cast.admin, "status").json()

    assert body["response_type"] == "ephemeral"
    assert check_message(body.get("blocks"), body.get("text")) == []
    shown = blocks_text(body)
    assert "*Vendor incidents right now*" in shown
    assert "Email delivery delayed* · Investigating · since <!date^" in shown
    assert "*Vendor incidents, last 90 days* — 3 incidents, total downtime *10h 51m*" in shown
    assert "*Chat widget slow* · <!date^" in shown and "· 2h 38m" in shown
    assert "*Chat outage* · <!date^" in shown and "· 8h 13m" in shown
    assert "Summer outage" not in shown


def test_the_app_home_shows_the_incidents_and_the_downtime(world: Harness) -> None:
    user = world.cast.customer
    before = len(world.standin.calls_to("views.publish"))
    assert world.driver.app_home_opened(user_id=user).status == 200
    world.standin.wait_for("views.publish", count=before + 1)

    home = world.standin.published_home(user)
    assert home is not None
    shown = blocks_text(home)
    assert "*Vendor incidents right now*" in shown
    assert "*Vendor incidents, last 90 days* — 3 incidents, total downtime *10h 51m*" in shown


@sqlite_only
def test_without_a_status_page_nothing_about_incidents_shows(make_world: WorldFactory) -> None:
    world = make_world()

    view = open_modal(world, world.cast.admin)
    status = command(world, world.cast.admin, "status").json()
    root = file(world, world.cast.admin, impact="critical", area="email", incident="inc1")

    assert "incident" not in blocks_text(view).lower()
    assert "incident" not in blocks_text(status).lower()
    assert stored(world, root).incident_id is None
    assert GROUP_MENTION in blocks_text(root)
    assert summaries(world) == []
