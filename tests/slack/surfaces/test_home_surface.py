"""The App Home view: requester and engineer layouts with 0, 1 and 200 requests, in limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_valid_view,
    elements_by_action,
    make_request,
    walk,
)

from bot.db.models import SupportRequest
from bot.devtools.limits import MAX_VIEW_BLOCKS
from bot.domain.calendar import BusinessCalendar
from bot.services.home import Home, MyRequests, TeamView
from bot.services.queries import DeskHours
from bot.services.reporting import build_report
from bot.slack.ids import Action
from bot.slack.surfaces.blocks import when
from bot.slack.surfaces.home import home_view
from tests.services.reporting_history import NOW as REPORT_NOW
from tests.services.reporting_history import history

VIEWER = "U0VIEWER"
ENGINEER = "U0ENGINEER"


def _many(count: int, **overrides: Any) -> list[SupportRequest]:
    return [
        make_request(id=i + 1, subject=f"{HOSTILE} {'s' * 200}", **overrides) for i in range(count)
    ]


def _mine(requests: Sequence[SupportRequest], recent: Sequence[SupportRequest] = ()) -> MyRequests:
    # The service loads at most 25 open rows and counts the rest.
    return MyRequests(open=tuple(requests[:25]), open_total=len(requests), recent=tuple(recent))


def _team(queue: Sequence[SupportRequest], *, breached: int = 0) -> TeamView:
    report = build_report(
        list(history().values()), calendar=BusinessCalendar.default(), now=REPORT_NOW
    )
    report = replace(report, since=date(2026, 2, 9))
    return TeamView(
        queue=tuple(queue), queue_total=len(queue), breached_total=breached, report=report
    )


def _home(
    *,
    user_id: str = VIEWER,
    mine: Sequence[SupportRequest] = (),
    recent: Sequence[SupportRequest] = (),
    team: TeamView | None = None,
    open_now: bool = True,
) -> dict[str, Any]:
    hours = DeskHours(open_now=open_now, next_change=NOW.add(hours=5), targets=())
    home = Home(user_id=user_id, now=NOW, hours=hours, mine=_mine(mine, recent), team=team)
    return home_view(home, state=lambda request: f"overdue {request.key}")


def _buttons(view: dict[str, Any], action: Action) -> list[dict[str, Any]]:
    return [node for node in walk(view["blocks"]) if node.get("action_id") == action]


@pytest.mark.parametrize("count", [0, 1, 200])
@pytest.mark.parametrize("engineer", [False, True], ids=["requester", "engineer"])
def test_home_fits_slack_limits(count: int, engineer: bool) -> None:
    requests = _many(count)
    team = _team(_many(count, breached_at=NOW)) if engineer else None

    view = _home(mine=requests, recent=_many(min(count, 5), status="resolved"), team=team)

    assert view["type"] == "home"
    assert_valid_view(view)
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    assert_no_live_tokens(view)
    # Nothing is cut off at the end: the footer is always the last block.
    assert view["blocks"][-1]["type"] == "context"
    assert "Updated" in view["blocks"][-1]["elements"][0]["text"]


def test_a_requester_without_requests_is_told_how_to_file() -> None:
    view = _home()
    text = all_text(view)

    assert "*open* until <!date^" in text
    assert "You have no open requests" in text
    assert "SLA report" not in text and "Queue" not in text
    assert set(elements_by_action(view["blocks"])) == {Action.OPEN_FILING, Action.HOME_REFRESH}


def test_a_requester_sees_their_request_with_status_impact_and_due_instant() -> None:
    view = _home(mine=[make_request()])
    text = all_text(view)

    assert "*Your open requests* (1)" in text
    due = when(NOW.add(hours=1))
    line = "*KS-1042* Inbox does not load — High · New · first response due "
    assert f"{line}{due} (overdue KS-1042)" in text
    assert not _buttons(view, Action.TAKE)


def test_a_requester_with_200_open_requests_gets_a_pointer_to_the_list() -> None:
    view = _home(mine=_many(200))
    text = all_text(view)

    assert "*Your open requests* (200)" in text
    assert "…and 175 more — see `/kustomer-support list`" in text


def test_recently_resolved_requests_show_when_they_were_resolved() -> None:
    resolved = make_request(status="resolved", resolved_at=NOW)

    text = all_text(_home(recent=[resolved]))

    assert "*Recently resolved*" in text
    assert "*KS-1042* Inbox does not load — High · resolved <!date^" in text


def test_a_closed_desk_says_when_it_opens_and_that_critical_is_24_7() -> None:
    text = all_text(_home(open_now=False))

    assert "*closed* until <!date^" in text
    assert "24/7" in text


def test_an_engineer_sees_the_queue_with_take_and_resolve() -> None:
    request = make_request(breached_at=NOW)

    view = _home(user_id=ENGINEER, team=_team([request], breached=1))
    text = all_text(view)

    assert "*Queue* — 1 open, :red_circle: 1 breached" in text
    assert ":red_circle: *KS-1042* Inbox does not load\nHigh · New · unassigned" in text
    assert f"first response due {when(NOW.add(hours=1))} (overdue KS-1042)" in text
    assert "Unanswered first" in text
    assert "in <#C0SUPPORT>" in text
    assert [b["value"] for b in _buttons(view, Action.TAKE)] == ["42"]
    (resolve,) = _buttons(view, Action.RESOLVE)
    assert resolve["value"] == "42"
    assert "confirm" in resolve
    assert "You have no open requests" not in text


def test_an_engineer_cannot_take_what_is_already_theirs() -> None:
    mine = make_request(assignee_id=ENGINEER, status="in_progress")
    theirs = make_request(id=43, assignee_id="U0OTHER", status="in_progress")

    view = _home(user_id=ENGINEER, team=_team([mine, theirs]))

    assert "*assigned to you*" in all_text(view)
    (take,) = _buttons(view, Action.TAKE)
    assert (take["value"], take["text"]["text"]) == ("43", "Reassign to me")
    assert len(_buttons(view, Action.RESOLVE)) == 2


def test_an_answered_request_shows_its_resolution_due_instead() -> None:
    answered = make_request(first_responded_at=NOW, status="in_progress")

    text = all_text(_home(user_id=ENGINEER, team=_team([answered])))

    assert "answered · resolution due <!date^" in text
    assert "first response due" not in text


def test_an_engineer_with_200_open_requests_sees_the_head_and_a_count() -> None:
    view = _home(user_id=ENGINEER, team=_team(_many(200)))

    assert len(_buttons(view, Action.TAKE)) == 20
    assert "…and 180 more open requests further down the queue." in all_text(view)


def test_an_empty_queue_says_so() -> None:
    text = all_text(_home(user_id=ENGINEER, team=_team([])))

    assert "*Queue* — 0 open" in text
    assert "The queue is empty" in text


def test_the_engineer_home_carries_the_sla_report_per_priority() -> None:
    view = _home(user_id=ENGINEER, team=_team([]))
    report = next(b for b in view["blocks"] if b.get("fields"))
    cells = [field["text"] for field in report["fields"]]

    assert "*SLA report* — requests filed since Feb 9, 2026" in all_text(view)
    assert [cell.split("\n")[0] for cell in cells] == [
        "*Low*",
        "*Medium*",
        "*High*",
        "*Critical*",
        "*All priorities*",
    ]
    high = cells[2]
    assert "5 filed · 1 open breach" in high
    assert "First response: 2 on time, 2 late — *50.0%*" in high
    assert "Median 1 h business · 2 h wall" in high
    assert "In 4 business days: 2 of 2 (100.0%)" in high
    assert "1 with Development" in cells[1]
    assert "*63.6%*" in cells[4]


def test_the_queue_names_each_requests_customer_account() -> None:
    acme = make_request(account_id=7)
    own = make_request(id=43)
    team = replace(_team([acme, own]), accounts={7: "Acme <!here> & Co"})

    view = _home(user_id=ENGINEER, team=team)
    text = all_text(view)

    assert "*KS-1042* Inbox does not load\nAcme &lt;!here&gt; &amp; Co · High · New" in text
    assert "*KS-1043* Inbox does not load\nHigh · New" in text
    assert_no_live_tokens(view)
