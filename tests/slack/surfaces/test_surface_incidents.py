"""Vendor incidents in the support channel: escaped, within Slack's limits, never stale."""

from __future__ import annotations

from dataclasses import replace

import pendulum
import pytest
from surface_checks import (
    HOSTILE,
    all_text,
    assert_no_live_tokens,
    assert_no_relative_time,
    assert_valid_message,
)

from bot.domain.incidents import Incident, IncidentUpdate
from bot.slack.surfaces.incidents import incident_announcement, incident_update_reply

T0 = pendulum.datetime(2026, 5, 1, 13, 39)
FIRST = IncidentUpdate("u1", "investigating", "We are looking into slow email.", T0)
SECOND = IncidentUpdate("u2", "identified", "A mail relay is overloaded.", T0.add(minutes=20))
GOING = Incident(
    id="p31zjtct2jer",
    name="Email delivery delayed",
    status="identified",
    impact="major",
    created_at=T0,
    shortlink="https://stspg.io/abc123",
    components=("Channel - Email", "API"),
    updates=(FIRST, SECOND),
)
OVER = replace(
    GOING,
    status="resolved",
    resolved_at=T0.add(hours=10, minutes=51),
    updates=(
        FIRST,
        SECOND,
        IncidentUpdate("u3", "resolved", "All clear.", T0.add(hours=10, minutes=51)),
    ),
)


def test_the_announcement_names_impact_components_status_and_link() -> None:
    message = incident_announcement(GOING)
    text = all_text(message.blocks)

    assert_valid_message(message)
    assert_no_relative_time(message)
    assert "Vendor incident: Email delivery delayed" in text
    assert "Major" in text
    assert "Channel - Email, API" in text
    assert "Identified" in text
    assert "A mail relay is overloaded." in text  # the latest update
    assert "<https://stspg.io/abc123|" in text
    assert "Later updates follow in this thread." in text
    assert "<!date^" in text
    assert "Duration" not in text
    assert "Email delivery delayed" in message.text


def test_a_resolved_announcement_shows_resolved_and_the_duration() -> None:
    message = incident_announcement(OVER)
    text = all_text(message.blocks)

    assert_valid_message(message)
    assert text.startswith("Resolved: Email delivery delayed")
    assert "*Duration*\n10h 51m" in text
    assert "*Resolved*\n<!date^" in text
    assert "Later updates" not in text
    assert message.text == "Resolved vendor incident: Email delivery delayed, lasted 10h 51m"


def test_an_update_reply_says_its_status_time_and_words() -> None:
    message = incident_update_reply(GOING, SECOND)
    text = all_text(message.blocks)

    assert_valid_message(message)
    assert_no_relative_time(message)
    assert text.startswith("*Identified* · <!date^")
    assert "A mail relay is overloaded." in text


@pytest.mark.parametrize(("status", "impact"), [("in_progress", "severe"), ("verifying", "x")])
def test_words_the_desk_does_not_know_are_shown_as_the_feed_said(status: str, impact: str) -> None:
    odd = replace(GOING, status=status, impact=impact, updates=(replace(FIRST, status=status),))
    message = incident_announcement(odd)
    text = all_text(message.blocks)

    assert_valid_message(message)
    assert status.replace("_", " ").capitalize() in text
    assert impact.capitalize() in text
    assert_valid_message(incident_update_reply(odd, odd.updates[0]))


def test_feed_text_is_escaped_so_it_pings_nobody() -> None:
    hostile_update = IncidentUpdate("u9", HOSTILE[:40], HOSTILE, T0)
    hostile = replace(
        GOING,
        name=HOSTILE,
        impact=HOSTILE[:32],
        status=HOSTILE[:32],
        components=(HOSTILE,),
        updates=(hostile_update,),
    )

    for message in (incident_announcement(hostile), incident_update_reply(hostile, hostile_update)):
        assert_valid_message(message)
        assert_no_live_tokens(message.blocks)
        assert_no_live_tokens(message.text)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "https://evil.example|click <!channel>", "https://a b", None]
)
def test_a_link_that_could_break_out_of_its_token_is_left_out(link: str | None) -> None:
    message = incident_announcement(replace(GOING, shortlink=link))

    assert_valid_message(message)
    assert "Follow it on the status page" not in all_text(message.blocks)
    assert_no_live_tokens(message.blocks)


def test_long_feed_text_is_cut_to_slack_limits() -> None:
    essay = IncidentUpdate("u1", "postmortem", "## Summary " + "x & y " * 2000, T0)
    long = replace(
        OVER, name="n" * 400, components=tuple(f"c{i}" * 100 for i in range(30)), updates=(essay,)
    )

    assert_valid_message(incident_announcement(long))
    assert_valid_message(incident_update_reply(long, essay))


def test_an_incident_without_updates_link_or_components_still_reads_well() -> None:
    bare = replace(GOING, shortlink=None, components=(), updates=())
    message = incident_announcement(bare)
    text = all_text(message.blocks)

    assert_valid_message(message)
    assert "Not stated by the vendor" in text
