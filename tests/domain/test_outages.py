"""Requests during a vendor outage: which incident they are about, and one page per outage."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from bot.domain.incidents import Incident
from bot.domain.outages import (
    OutageMember,
    OutagePage,
    OutageSummary,
    affects,
    component_matches,
    mentions_oncall,
    outage_of,
    page_decision,
    suggested_incident,
)
from bot.domain.requests import AffectedArea, RequestStatus
from bot.domain.status_feed import parse_listing
from tests.conftest import new_request

T0 = pendulum.datetime(2026, 11, 18, 20, 0)
HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "outage_history_incidents.json"


def incident(
    incident_id: str = "inc1",
    *components: str,
    start: pendulum.DateTime = T0,
    resolved: bool = False,
) -> Incident:
    return Incident(
        id=incident_id,
        name=f"Incident {incident_id}",
        status="resolved" if resolved else "investigating",
        impact="major",
        created_at=start,
        resolved_at=start.add(hours=1) if resolved else None,
        components=components or ("Channel - Email",),
    )


@pytest.mark.parametrize(
    ("component", "area"),
    [
        ("Channel - Email", AffectedArea.EMAIL),
        ("EMAIL", AffectedArea.EMAIL),
        ("Channel - Chat", AffectedArea.CHAT),
        ("Kustomer Voice", AffectedArea.VOICE),
        ("Knowledge base", AffectedArea.KNOWLEDGE_BASE),
        ("KNOWLEDGE BASE (custom domains)", AffectedArea.KNOWLEDGE_BASE),
        ("AI features", AffectedArea.AI_FEATURES),
        ("OpenAI", AffectedArea.AI_FEATURES),
        ("API", AffectedArea.API),
        ("Public api", AffectedArea.API),
    ],
)
def test_an_area_matches_components_that_name_it_in_any_case(
    component: str, area: AffectedArea
) -> None:
    assert component_matches(component, area)
    assert [a for a in AffectedArea if component_matches(component, a)] == [area]


@pytest.mark.parametrize(
    ("component", "area"),
    [
        ("Emailer", AffectedArea.EMAIL),  # a word, not a part of one
        ("Chatbot", AffectedArea.CHAT),
        ("Knowledge", AffectedArea.KNOWLEDGE_BASE),  # every word of the area
        ("Rapid", AffectedArea.API),
        ("Anything", AffectedArea.OTHER),
        ("", AffectedArea.EMAIL),
    ],
)
def test_an_area_does_not_match_what_merely_contains_its_letters(
    component: str, area: AffectedArea
) -> None:
    assert not component_matches(component, area)


def test_the_outage_history_components_map_to_the_modal_areas() -> None:
    incidents = parse_listing(HISTORY.read_text())
    areas = {
        component: [a.label for a in AffectedArea if component_matches(component, a)]
        for item in incidents
        for component in item.components
    }
    assert areas == {
        "Channel - Email": ["Email"],
        "Channel - Chat": ["Chat"],
        "Knowledge base": ["Knowledge Base"],
        "Kustomer Voice": ["Voice"],
        "OpenAI": ["AI features"],
    }


def test_the_newest_active_incident_of_the_area_is_suggested() -> None:
    older = incident("old", "Channel - Email", start=T0.subtract(hours=2))
    newer = incident("new", "Channel - Email", "API")
    over = incident("over", "Channel - Email", start=T0.add(hours=1), resolved=True)
    voice = incident("voice", "Kustomer Voice")
    incidents = [older, newer, over, voice]

    assert suggested_incident(AffectedArea.EMAIL, incidents) == newer
    assert suggested_incident(AffectedArea.API, incidents) == newer
    assert suggested_incident(AffectedArea.VOICE, incidents) == voice
    assert suggested_incident(AffectedArea.CHAT, incidents) is None
    assert suggested_incident(AffectedArea.OTHER, incidents) is None
    assert suggested_incident(None, incidents) is None
    assert affects(voice, AffectedArea.VOICE) and not affects(voice, AffectedArea.EMAIL)


def test_a_critical_request_belongs_to_its_linked_incident_else_its_areas() -> None:
    email, voice = incident("email", "Channel - Email"), incident("voice", "Kustomer Voice")
    linked = new_request(id=1, priority="critical", area="email", incident_id="voice")
    by_area = new_request(id=2, priority="critical", area="email")
    over = incident("gone", "Channel - Email", resolved=True)
    stale_link = new_request(id=3, priority="critical", area="chat", incident_id="gone")

    assert outage_of(linked, [email, voice]) == voice
    assert outage_of(by_area, [email, voice]) == email
    assert outage_of(stale_link, [email, voice, over]) is None
    assert outage_of(new_request(priority="high", area="email"), [email]) is None
    resolved = by_area.but(status=RequestStatus.RESOLVED)
    assert outage_of(resolved, [email]) is None


def test_only_the_first_critical_request_of_an_outage_pages_on_call() -> None:
    outage = incident("inc1", "Channel - Email")
    first = new_request(id=1, priority="critical", area="email", incident_id="inc1")
    second = new_request(id=2, requester_id="U0002", priority="critical", area="email")

    before = page_decision(first, [outage], {})
    assert (before.mention, before.incident) == (True, outage)
    page = {"inc1": OutagePage("inc1", first.id)}
    assert page_decision(first, [outage], page).mention  # the page itself still pages
    later = page_decision(second, [outage], page)
    assert (later.mention, later.incident) == (False, outage)


def test_outside_an_outage_critical_pages_and_the_rest_never_do() -> None:
    outage = incident("inc1", "Channel - Email")
    page = {"inc1": OutagePage("inc1", 99)}
    chat = new_request(id=1, priority="critical", area="chat")
    high = new_request(id=2, priority="high", area="email", incident_id="inc1")

    assert page_decision(chat, [outage], page).mention
    assert page_decision(chat, [outage], page).incident is None
    assert not page_decision(high, [outage], page).mention
    assert page_decision(chat, [], {}).mention


def test_a_root_mentions_on_call_unless_its_page_was_merged() -> None:
    critical, high = new_request(priority="critical"), new_request(priority="high")
    assert mentions_oncall(critical, None)
    assert mentions_oncall(critical, True)
    assert not mentions_oncall(critical, False)
    assert not mentions_oncall(high, None)


def test_a_summary_counts_requesters_once_and_knows_the_oldest_due() -> None:
    due = T0.add(minutes=15)
    first = new_request(id=1, priority="critical", first_response_due_at=due.add(minutes=5))
    second = new_request(id=2, requester_id="U0002", priority="critical", first_response_due_at=due)
    third = new_request(id=3, priority="critical", first_response_due_at=due.subtract(hours=1))
    summary = OutageSummary(
        incident(),
        (
            OutageMember(first, paged=True),
            OutageMember(second, paged=False),
            OutageMember(third.but(first_responded_at=T0), paged=False),
        ),
    )

    assert summary.requesters == ("U0001", "U0002")
    assert summary.paged == first
    assert summary.oldest_due == due  # the third is answered: no due left
    closed = first.but(status=RequestStatus.RESOLVED)
    done = OutageSummary(incident(), (OutageMember(closed, paged=True),))
    assert done.still_open == () and done.oldest_due is None
