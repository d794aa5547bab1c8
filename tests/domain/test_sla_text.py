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
        # Friday 20:00: an hour before the close. High fits exactly (due at the closing);
        # Medium and Low run on from Sunday's 18:00 opening.
        (Priority.HIGH, ny(2026, 11, 20, 20), "first response within 1 hour"),
        (Priority.MEDIUM, ny(2026, 11, 20, 20), "by Sun 7:00 PM EST"),
        (Priority.LOW, ny(2026, 11, 20, 20), "by Sun 9:00 PM EST"),
        (Priority.LOW, ny(2026, 11, 20, 20, 40), "by Sun 9:40 PM EST"),
        (Priority.LOW, ny(2026, 11, 20, 17), "first response within 4 hours"),
        (Priority.LOW, ny(2026, 11, 20, 17, 1), "by Sun 6:01 PM EST"),
        # Saturday: closed until Sunday 18:00.
        (Priority.HIGH, ny(2026, 11, 21, 12), "by Sun 7:00 PM EST"),
        (Priority.LOW, ny(2026, 11, 20, 21), "by Sun 10:00 PM EST"),
        # Friday before the clocks spring forward: the due is read in EDT.
        (Priority.MEDIUM, ny(2026, 3, 6, 20, 30), "by Sun 7:30 PM EDT"),
        (Priority.MEDIUM, ny(2026, 3, 7, 12), "by Sun 8:00 PM EDT"),
        # Friday before they fall back: EST again on Sunday.
        (Priority.LOW, ny(2026, 10, 30, 20, 30), "by Sun 9:30 PM EST"),
        (Priority.CRITICAL, ny(2026, 11, 21, 12), "first response within 15 minutes, 24/7"),
        (Priority.CRITICAL, ny(2026, 11, 20, 20, 50), "first response within 15 minutes, 24/7"),
        (Priority.CRITICAL, ny(2026, 11, 18, 12), "first response within 15 minutes, 24/7"),
    ],
)
def test_target_phrase(
    default_calendar: BusinessCalendar, priority: Priority, now: DateTime, phrase: str
) -> None:
    assert target_phrase(priority, now, default_calendar) == phrase
    assert len(f"{priority.label} — {phrase}") <= 75  # a modal option's plain text


@pytest.mark.parametrize(
    ("priority", "now", "phrase"),
    [
        # Wednesday 23:00 before Thanksgiving: an hour to midnight, then the whole holiday.
        (Priority.HIGH, ny(2026, 11, 25, 23), "first response within 1 hour"),
        (Priority.MEDIUM, ny(2026, 11, 25, 23), "by Fri 1:00 AM EST"),
        (Priority.LOW, ny(2026, 11, 25, 23), "by Fri 3:00 AM EST"),
        # On the holiday itself the clock waits for Friday's midnight opening.
        (Priority.HIGH, ny(2026, 11, 26, 12), "by Fri 1:00 AM EST"),
        (Priority.CRITICAL, ny(2026, 11, 26, 12), "first response within 15 minutes, 24/7"),
    ],
)
def test_target_phrase_around_a_holiday(
    holiday_calendar: BusinessCalendar, priority: Priority, now: DateTime, phrase: str
) -> None:
    assert target_phrase(priority, now, holiday_calendar) == phrase


def test_target_phrase_compares_instants_across_a_dst_jump() -> None:
    # Open Saturday 22:00 to Sunday 04:00; on 8 March 2026 02:00 EST jumps to 03:00 EDT.
    nights = BusinessCalendar("America/New_York", parse_business_hours("Sat 22:00-Sun 04:00"))
    now = ny(2026, 3, 8, 1, 30)  # EST; 1 h 30 min of real time are left before 04:00 EDT

    # One real hour later it is 03:30 EDT, inside the hours.
    assert target_phrase(Priority.HIGH, now, nights) == "first response within 1 hour"
    # Two real hours later it is 04:30 EDT, past the close, although a wall-clock sum
    # (01:30 + 2 h = 03:30) would look inside: the rest runs from next Saturday 22:00.
    assert target_phrase(Priority.MEDIUM, now, nights) == "by Sat Mar 14, 10:30 PM EDT"
    assert target_phrase(Priority.LOW, now, nights) == "by Sun Mar 15, 12:30 AM EDT"


def test_target_phrase_uses_the_given_target() -> None:
    calendar = BusinessCalendar.default()
    friday = ny(2026, 11, 20, 20)

    assert target_phrase(Priority.HIGH, friday, calendar, target=timedelta(minutes=30)) == (
        "first response within 30 minutes"
    )
    assert target_phrase(Priority.HIGH, friday, calendar, target=timedelta(hours=3)) == (
        "by Sun 8:00 PM EST"
    )


def test_target_phrase_names_the_date_after_a_long_closure() -> None:
    shutdown = [date(2026, 12, 20) + timedelta(days=n) for n in range(14)]
    calendar = BusinessCalendar(
        "America/New_York", parse_business_hours("Sun 18:00-Fri 21:00"), shutdown
    )
    phrase = target_phrase(Priority.LOW, ny(2026, 12, 19, 12), calendar)
    assert phrase == "by Sun Jan 3, 10:00 PM EST"
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
