"""Shared calendars and oracle tables for the domain tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.calendar import BusinessCalendar, parse_business_hours

from .oracle import MinuteTable, WallOracle

THANKSGIVING = date(2026, 11, 26)
# A span holding both 2026 DST weekends (Mar 8, Nov 1) and Thanksgiving, plus slack for dues.
SPAN_START = datetime(2026, 2, 20, tzinfo=UTC)
SPAN_END = datetime(2026, 12, 31, tzinfo=UTC)
MIDNIGHT_HOURS = "Mon 22:00-Tue 02:00,Wed 09:00-Wed 17:30,Thu 20:00-Fri 08:00,Sat 22:00-Sun 02:00"


def oracle_ranges(hours: str) -> list[tuple[int, time, int, time]]:
    """The oracle's own copy of the ranges, taken from the parsed text."""
    return [(r.start_day, r.start_time, r.end_day, r.end_time) for r in parse_business_hours(hours)]


@pytest.fixture(scope="session")
def default_calendar() -> BusinessCalendar:
    return BusinessCalendar.default()


@pytest.fixture(scope="session")
def holiday_calendar() -> BusinessCalendar:
    return BusinessCalendar(
        "America/New_York", parse_business_hours("Sun 18:00-Fri 21:00"), [THANKSGIVING]
    )


@pytest.fixture(scope="session")
def default_table() -> MinuteTable:
    oracle = WallOracle("America/New_York", [(6, time(18), 4, time(21))], [THANKSGIVING])
    return MinuteTable(oracle, SPAN_START, SPAN_END)


@pytest.fixture(scope="session")
def midnight_calendar() -> BusinessCalendar:
    return BusinessCalendar(
        "America/New_York", parse_business_hours(MIDNIGHT_HOURS), [THANKSGIVING]
    )


@pytest.fixture(scope="session")
def midnight_table() -> MinuteTable:
    oracle = WallOracle("America/New_York", oracle_ranges(MIDNIGHT_HOURS), [THANKSGIVING])
    return MinuteTable(oracle, SPAN_START, SPAN_END)
