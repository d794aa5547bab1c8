"""Vendor outages on the desk's surfaces: the on-call summary, the resolution note, the vendor
section of `status` and of the App Home."""

from __future__ import annotations

from typing import Any

import pytest
from outage_samples import incident, outage_history, vendor
from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_valid_message,
    assert_valid_view,
    make_request,
)

from bot.domain.outages import OutageMember, OutageSummary
from bot.domain.requests import RequestStatus
from bot.services.home import Home, MyRequests
from bot.services.queries import DeskHours
from bot.slack.surfaces.blocks import MESSAGE_BLOCK_LIMIT, when
from bot.slack.surfaces.home import home_view
from bot.slack.surfaces.outages import outage_summary, resolved_note


def _summary(count: int = 2, *, resolved: bool = False, **overrides: Any) -> OutageSummary:
    members = tuple(
        OutageMember(
            make_request(
                id=100 + i,
                requester_id=f"U0ASKER{i % 3}",
                priority="critical",
                first_response_due_at=NOW.add(minutes=15 + i),
                **overrides,
            ),
            paged=i == 0,
        )
        for i in range(count)
    )
    return OutageSummary(incident(minutes=38 if resolved else None), members)


def test_the_summary_counts_the_requests_and_their_requesters() -> None:
    message = outage_summary(_summary(2))

    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "Outage summary: Email delivery delayed" in text
    assert "*2 Critical requests* during this vendor incident" in text
    assert "On-call was paged once, for *KS-1100*" in text
    assert "<@U0ASKER0>, <@U0ASKER1>" in text
    assert f"*Oldest first response due*\n{when(NOW.add(minutes=15))}" in text
    assert "*KS-1101*" in text
    assert "<https://stspg.example/inc1|Follow it on the status page>" in text
    assert "<!subteam^" not in text  # the summary itself pages nobody
    assert message.text == "Outage summary (open): Email delivery delayed · 2 Critical requests"


def test_a_resolved_summary_lists_the_requests_still_open() -> None:
    summary = _summary(3, resolved=True)
    closed = summary.members[1].request.but(status=RequestStatus.RESOLVED)
    summary = OutageSummary(
        summary.incident, (summary.members[0], OutageMember(closed, False), summary.members[2])
    )

    message = outage_summary(summary)

    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "The vendor resolved this incident <!date^" in text
    assert "after 38m. *3 Critical requests* filed during it; 2 still open:" in text
    assert "*KS-1100*" in text and "*KS-1102*" in text
    assert "*KS-1101*" not in text
    assert message.text.startswith("Outage summary (resolved):")


@pytest.mark.parametrize("count", [1, 40, 300])
def test_a_summary_of_many_hostile_requests_fits(count: int) -> None:
    summary = _summary(count, subject=HOSTILE * 3, requester_name=HOSTILE)
    hostile = OutageSummary(incident(name=HOSTILE * 5, components=(HOSTILE,) * 20), summary.members)

    for message in (outage_summary(hostile), outage_summary(_summary(count, resolved=True))):
        assert_valid_message(message)
        assert_no_live_tokens(message.blocks)
        assert_no_live_tokens(message.text)
    assert "…and" in all_text(outage_summary(hostile).blocks) or count <= 15


def test_the_resolution_note_asks_whether_the_problem_is_gone() -> None:
    message = resolved_note(make_request(), incident(minutes=651))

    assert_valid_message(message)
    text = all_text(message.blocks)
    assert (
        "*Email delivery delayed* is resolved (10h 51m). Is your problem gone? If it is, "
        "you can resolve this request; if not, reply here."
    ) in text
    assert "<https://stspg.example/inc1|Read the vendor's report>" in text
    hostile = resolved_note(make_request(), incident(name=HOSTILE, minutes=5))
    assert_no_live_tokens(hostile.blocks)
    assert_no_live_tokens(hostile.text)


def _home(**vendor_status: Any) -> dict[str, Any]:
    hours = DeskHours(open_now=True, next_change=NOW.add(hours=5), targets=())
    mine = MyRequests(open=(), open_total=0, recent=())
    home = Home(user_id="U0VIEWER", now=NOW, hours=hours, mine=mine, team=None, **vendor_status)
    return home_view(home, state=lambda request: "")


def test_the_home_shows_the_vendor_incidents_and_their_downtime() -> None:
    view = _home(vendor=outage_history())

    assert_valid_view(view)
    text = all_text(view)
    assert "*Vendor incidents right now*" in text
    assert "*Vendor incidents, last 90 days* — 3 incidents, total downtime *11h 51m*" in text
    assert "*Voice calls drop* · <!date^" in text
    assert "· 8h 13m" in text


def test_without_a_status_page_the_home_says_nothing_of_incidents() -> None:
    assert "incident" not in all_text(_home()).lower()


def test_a_long_history_fits_the_status_answer_and_the_home() -> None:
    many = vendor(
        [incident(f"now{i}", HOSTILE * 4, components=(HOSTILE,) * 9) for i in range(20)],
        [incident(f"old{i}", HOSTILE * 4, minutes=i) for i in range(300)],
    )
    view = _home(vendor=many)

    assert_valid_view(view)
    assert_no_live_tokens(view)
    assert len(view["blocks"]) < MESSAGE_BLOCK_LIMIT
    assert "…and 300 more" in all_text(view)  # twenty of the last 90 days are listed


def test_a_quiet_vendor_says_so() -> None:
    text = all_text(_home(vendor=vendor([], [])))
    assert "No vendor incidents right now." in text
    assert "None: no downtime." in text
