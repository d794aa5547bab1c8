"""The wording of targets and durations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pendulum import DateTime

from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.requests import Priority
from bot.domain.sla import format_duration, target_phrase

from .helpers import ny


@pytest.mark.parametrize(
    ("priority", "now", "phrase"),
    [
        (Priority.HIGH, ny(2026, 11, 18, 12), "first response within 1 hour"),
        (Priority.MEDIUM, ny(2026, 11, 18, 12), "first response within 2 hours"),
        (Priority.LOW, ny(2026, 11, 20, 20), "first response within 4 hours"),
        (Priority.HIGH, ny(2026, 11, 21, 12), "next business day \u2014 by Sun 7:00 PM EST"),
        (Priority.LOW, ny(2026, 11, 20, 21), "next business day \u2014 by Sun 10:00 PM EST"),
        (Priority.MEDIUM, ny(2026, 3, 7, 12), "next business day \u2014 by Sun 8:00 PM EDT"),
        (Priority.CRITICAL, ny(2026, 11, 21, 12), "first response within 15 minutes, 24/7"),
        (Priority.CRITICAL, ny(2026, 11, 18, 12), "first response within 15 minutes, 24/7"),
    ],
)
def test_target_phrase(
    default_calendar: BusinessCalendar, priority: Priority, now: DateTime, phrase: str
) -> None:
    assert target_phrase(priority, now, default_calendar) == phrase
    assert len(phrase) <= 75


def test_target_phrase_names_the_date_after_a_long_closure() -> None:
    shutdown = [date(2026, 12, 20) + timedelta(days=n) for n in range(14)]
    calendar = BusinessCalendar(
        "America/New_York", parse_business_hours("Sun 18:00-Fri 21:00"), shutdown
    )
    phrase = target_phrase(Priority.LOW, ny(2026, 12, 19, 12), calendar)
    assert phrase == "next business day \u2014 by Sun Jan 3, 10:00 PM EST"
    assert len(phrase) <= 75


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=1, minutes=5), "1 h 05 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(days=2, hours=3, minutes=59), "2 d 3 h"),
        (timedelta(days=4), "4 d"),
        (timedelta(seconds=42), "42 s"),
        (timedelta(0), "0 s"),
        (-timedelta(minutes=30), "-30 min"),
        (-timedelta(hours=1, minutes=5, seconds=30), "-1 h 05 min"),
    ],
)
def test_format_duration(amount: timedelta, text: str) -> None:
    assert format_duration(amount) == text


def test_format_duration_accepts_pendulum_intervals() -> None:
    assert format_duration(ny(2026, 11, 20, 10) - ny(2026, 11, 20, 11, 5)) == "-1 h 05 min"
