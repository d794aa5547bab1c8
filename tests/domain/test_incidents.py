"""Vendor incidents: when one is over, how long it lasted, and the downtime they add up to."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest

from bot.domain.incidents import (
    Impact,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    duration,
    ended_at,
    format_outage,
    is_active,
    newer_listing,
    total_downtime,
)

T0 = pendulum.datetime(2026, 5, 1, 13, 39)


def incident(
    incident_id: str = "inc1",
    *,
    start: pendulum.DateTime = T0,
    minutes: float | None = None,
    status: str | None = None,
    updates: tuple[IncidentUpdate, ...] = (),
    impact: str = "minor",
) -> Incident:
    resolved = None if minutes is None else start.add(minutes=minutes)
    return Incident(
        id=incident_id,
        name="Email is slow",
        status=status or ("resolved" if resolved else "investigating"),
        impact=impact,
        created_at=start,
        resolved_at=resolved,
        updates=updates,
    )


def test_known_words_are_recognised_and_unknown_ones_kept() -> None:
    known = incident(status="identified", impact="critical")
    odd = incident(status="in_progress", impact="severe")

    assert known.known_status is IncidentStatus.IDENTIFIED
    assert known.known_impact is Impact.CRITICAL
    assert (odd.known_status, odd.known_impact) == (None, None)
    assert (odd.status, odd.impact) == ("in_progress", "severe")


@pytest.mark.parametrize(
    ("status", "minutes", "active"),
    [
        ("investigating", None, True),
        ("identified", None, True),
        ("monitoring", None, True),
        ("scheduled", None, True),  # a maintenance state: unknown, still going
        ("resolved", 38, False),
        ("postmortem", 38, False),
        ("resolved", None, False),  # a feed that forgot resolved_at
        ("completed", None, False),
        ("monitoring", 38, False),  # resolved_at says it is over
    ],
)
def test_an_incident_is_active_until_resolved(
    status: str, minutes: int | None, active: bool
) -> None:
    assert is_active(incident(status=status, minutes=minutes)) is active


def test_duration_runs_from_creation_to_resolution() -> None:
    assert duration(incident(minutes=38)) == timedelta(minutes=38)
    assert ended_at(incident(minutes=38)) == T0.add(minutes=38)


def test_an_active_incident_lasts_until_now_when_asked() -> None:
    going = incident()

    assert duration(going) is None
    assert ended_at(going) is None
    assert duration(going, now=T0.add(hours=2)) == timedelta(hours=2)


def test_without_resolved_at_the_first_resolving_update_ends_it() -> None:
    updates = (
        IncidentUpdate("u1", "investigating", "looking", T0),
        IncidentUpdate("u2", "resolved", "fixed", T0.add(minutes=20)),
        IncidentUpdate("u3", "postmortem", "why", T0.add(days=3)),
    )
    over = incident(status="postmortem", updates=updates)

    assert ended_at(over) == T0.add(minutes=20)
    assert duration(over) == timedelta(minutes=20)


def test_total_downtime_counts_overlaps_once() -> None:
    first = incident("a", minutes=60)
    overlapping = incident("b", start=T0.add(minutes=30), minutes=60)  # ends at T0 + 90 min
    inside = incident("c", start=T0.add(minutes=40), minutes=10)
    later = incident("d", start=T0.add(hours=5), minutes=15)

    assert total_downtime([first, overlapping, inside, later]) == timedelta(minutes=105)


def test_total_downtime_since_an_instant_and_with_an_ongoing_incident() -> None:
    old = incident("a", minutes=60)
    recent = incident("b", start=T0.add(days=2), minutes=30)
    going = incident("c", start=T0.add(days=3))
    now = T0.add(days=3, minutes=45)

    assert total_downtime([old, recent, going], T0.add(days=1)) == timedelta(minutes=30)
    assert total_downtime([old, recent, going], T0.add(days=1), now=now) == timedelta(minutes=75)
    assert total_downtime([]) == timedelta(0)


@pytest.mark.parametrize(
    ("length", "text"),
    [
        (timedelta(minutes=38), "38m"),
        (timedelta(hours=2), "2h"),
        (timedelta(hours=10, minutes=51), "10h 51m"),
        (timedelta(hours=1, minutes=44, seconds=59), "1h 44m"),
        (timedelta(days=1, hours=3, minutes=5), "1d 3h 5m"),
        (timedelta(seconds=40), "40s"),
        (timedelta(0), "0s"),
    ],
)
def test_durations_read_like_a_status_page(length: timedelta, text: str) -> None:
    assert format_outage(length) == text


def test_of_two_listings_the_one_with_more_news_wins() -> None:
    one = (IncidentUpdate("u1", "investigating", "looking", T0),)
    two = (*one, IncidentUpdate("u2", "resolved", "fixed", T0.add(minutes=9)))
    stale, fresh = incident(updates=one), incident(minutes=9, updates=two)

    assert newer_listing(stale, fresh) is fresh
    assert newer_listing(fresh, stale) is fresh
    assert newer_listing(stale, incident(updates=one)) is stale  # a tie keeps the first
