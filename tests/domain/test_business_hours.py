"""Parsing and validating weekly hours and holidays."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.domain.business_hours import weekly_open_time
from bot.domain.calendar import WeeklyRange, parse_business_hours, parse_holidays


def test_default_hours_parse_to_one_range() -> None:
    (weekly,) = parse_business_hours("Sun 18:00-Fri 21:00")
    assert weekly == WeeklyRange(6, time(18), 4, time(21))
    assert weekly.length == timedelta(days=5, hours=3)
    assert str(weekly) == "Sun 18:00\u2013Fri 21:00"


def test_lists_case_seconds_spaces_and_en_dash() -> None:
    ranges = parse_business_hours(" mon 09:00-MON 17:00 , Tue 9:00:30 \u2013 tue 17:00 ")
    assert ranges == (
        WeeklyRange(0, time(9), 0, time(17)),
        WeeklyRange(1, time(9, 0, 30), 1, time(17)),
    )
    assert str(ranges[1]) == "Tue 09:00:30\u2013Tue 17:00"


def test_24_00_means_midnight_at_the_end_of_the_day() -> None:
    assert parse_business_hours("Fri 09:00-Fri 24:00") == (WeeklyRange(4, time(9), 5, time(0)),)


def test_daily_segments_split_at_midnight() -> None:
    (weekly,) = parse_business_hours("Sun 18:00-Fri 21:00")
    assert list(weekly.daily_segments()) == [
        (6, time(18), None),
        (0, time(0), None),
        (1, time(0), None),
        (2, time(0), None),
        (3, time(0), None),
        (4, time(0), time(21)),
    ]
    (night,) = parse_business_hours("Mon 22:00-Tue 02:00")
    assert list(night.daily_segments()) == [(0, time(22), None), (1, time(0), time(2))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("Sun 18:00", "write it as 'Day HH:MM-Day HH:MM'"),
        ("Sunday 18:00-Fri 21:00", "unknown day 'Sunday'"),
        ("Sun 25:00-Fri 21:00", "bad time '25:00'"),
        ("Sun 18:60-Fri 21:00", "bad time '18:60'"),
        ("Sun 18:00-Fri 24:01", "bad time '24:01'"),
        ("Sun 18-Fri 21:00", "bad time '18'"),
        ("Mon 09:00-Mon 09:00", "is empty"),
        ("Mon 00:00-Sun 24:00", "is empty"),
        ("Mon 00:00-Sun 23:00,Sun 22:00-Mon 00:00", "whole week"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_business_hours(text)


def test_overlapping_ranges_are_merged_as_a_union() -> None:
    ranges = parse_business_hours("Mon 09:00-Mon 17:00,Mon 16:00-Mon 18:00,Mon 18:00-Mon 19:00")
    assert weekly_open_time(ranges) == timedelta(hours=10)
    wrapping = parse_business_hours("Sat 20:00-Mon 02:00,Sun 23:00-Mon 01:00")
    assert weekly_open_time(wrapping) == timedelta(hours=30)


def test_weekly_range_validates_itself() -> None:
    with pytest.raises(ValueError, match="weekday"):
        WeeklyRange(7, time(9), 0, time(10))
    with pytest.raises(ValueError, match="empty"):
        WeeklyRange(2, time(9), 2, time(9))


def test_holidays_parse() -> None:
    assert parse_holidays("") == frozenset()
    assert parse_holidays("  ") == frozenset()
    assert parse_holidays("2026-11-26, 2026-12-25,") == {date(2026, 11, 26), date(2026, 12, 25)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-26,Christmas", "bad holiday 'Christmas'"),
        ("20261126", "YYYY-MM-DD"),
        ("2026-02-30", "bad holiday '2026-02-30': day is out of range"),
    ],
)
def test_bad_holidays_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_holidays(text)
