"""BusinessCalendar: open intervals, adding and measuring business time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pendulum import DateTime

from bot.domain.calendar import (
    BusinessCalendar,
    NoOpenTimeError,
    parse_business_hours,
    plain_delta,
    wall_time,
)

from .helpers import ny, utc

H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (ny(2026, 11, 20, 21), False),  # Fri 21:00:00: the close itself is closed
        (ny(2026, 11, 20, 20, 59, 59), True),
        (ny(2026, 11, 20, 20, 59, 59, 999_999), True),
        (ny(2026, 11, 22, 17, 59), False),  # Sun 17:59
        (ny(2026, 11, 22, 17, 59, 59, 999_999), False),
        (ny(2026, 11, 22, 18), True),  # Sun 18:00:00
        (ny(2026, 11, 21, 12), False),  # Saturday
        (ny(2026, 11, 23, 0), True),  # Monday midnight: no seam inside the open week
        (ny(2026, 11, 25, 3, 17), True),
    ],
)
def test_is_open_at_the_edges(
    default_calendar: BusinessCalendar, instant: DateTime, expected: bool
) -> None:
    assert default_calendar.is_open(instant) is expected


def test_accepts_any_aware_datetime_and_returns_utc_pendulum(
    default_calendar: BusinessCalendar,
) -> None:
    stdlib = datetime(2026, 11, 21, 12, tzinfo=ZoneInfo("America/New_York"))
    opening = default_calendar.next_opening(stdlib)
    assert isinstance(opening, DateTime)
    assert opening.timezone_name == "UTC"
    assert opening == utc("2026-11-22T23:00:00Z")


@pytest.mark.parametrize("method", ["is_open", "next_opening", "next_closing", "local"])
def test_naive_instants_are_refused(default_calendar: BusinessCalendar, method: str) -> None:
    with pytest.raises(ValueError, match="no timezone"):
        getattr(default_calendar, method)(datetime(2026, 11, 20, 12))


def test_naive_instants_are_refused_by_add_elapsed_and_intervals(
    default_calendar: BusinessCalendar,
) -> None:
    naive = datetime(2026, 11, 20, 12)
    with pytest.raises(ValueError):
        default_calendar.add(naive, H)
    with pytest.raises(ValueError):
        default_calendar.elapsed(naive, ny(2026, 11, 21))
    with pytest.raises(ValueError):
        list(default_calendar.open_intervals(ny(2026, 11, 20), naive))


def test_next_opening_and_closing(default_calendar: BusinessCalendar) -> None:
    open_now = ny(2026, 11, 18, 10, 0, 5, 123)
    assert default_calendar.next_opening(open_now) == open_now
    assert default_calendar.next_closing(open_now) == ny(2026, 11, 20, 21)
    assert default_calendar.next_opening(ny(2026, 11, 20, 21)) == ny(2026, 11, 22, 18)
    assert default_calendar.next_closing(ny(2026, 11, 20, 21)) == ny(2026, 11, 27, 21)


def test_add_counts_only_open_time(default_calendar: BusinessCalendar) -> None:
    # The policy's example: High created Fri 20:30 EST is due Sun 18:30 EST.
    created = utc("2026-11-21T01:30:00Z")
    assert default_calendar.add(created, H) == utc("2026-11-22T23:30:00Z")
    assert default_calendar.add(ny(2026, 11, 18, 9), 4 * H) == ny(2026, 11, 18, 13)


def test_a_target_running_out_at_the_close_is_due_at_the_close(
    default_calendar: BusinessCalendar,
) -> None:
    due = default_calendar.add(ny(2026, 11, 20, 17), 4 * H)
    assert due == ny(2026, 11, 20, 21) == utc("2026-11-21T02:00:00Z")
    assert not default_calendar.is_open(due)
    # One microsecond more carries over to Sunday's opening.
    more = default_calendar.add(ny(2026, 11, 20, 17), 4 * H + timedelta(microseconds=1))
    assert more == ny(2026, 11, 22, 18, 0, 0, 1)


def test_created_while_closed_starts_at_the_next_opening(
    default_calendar: BusinessCalendar,
) -> None:
    assert default_calendar.add(ny(2026, 11, 21, 9), H) == ny(2026, 11, 22, 19)
    assert default_calendar.add(ny(2026, 11, 20, 21), 2 * H) == ny(2026, 11, 22, 20)


def test_add_zero_is_start_even_while_closed(default_calendar: BusinessCalendar) -> None:
    saturday = ny(2026, 11, 21, 9, 15, 7, 42)
    assert default_calendar.add(saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError, match="negative"):
        default_calendar.add(saturday, -H)


def test_seconds_and_microseconds_are_preserved(default_calendar: BusinessCalendar) -> None:
    created = ny(2026, 11, 20, 20, 30, 17, 123_456)
    due = default_calendar.add(created, H)
    assert due == ny(2026, 11, 22, 18, 30, 17, 123_456)
    assert default_calendar.elapsed(created, due) == H
    assert default_calendar.add(ny(2026, 11, 21, 3), timedelta(seconds=1, microseconds=5)) == ny(
        2026, 11, 22, 18, 0, 1, 5
    )


@pytest.mark.parametrize(
    ("created", "due_utc"),
    [
        # Spring forward (Sun 2026-03-08): Fri 20:30 EST -> Sun 18:30 EDT.
        (ny(2026, 3, 6, 20, 30), "2026-03-08T22:30:00Z"),
        # Fall back (Sun 2026-11-01): Fri 20:30 EDT -> Sun 18:30 EST.
        (ny(2026, 10, 30, 20, 30), "2026-11-01T23:30:00Z"),
    ],
)
def test_dst_weekends_keep_local_opening_times(
    default_calendar: BusinessCalendar, created: DateTime, due_utc: str
) -> None:
    due = default_calendar.add(created, H)
    assert due == utc(due_utc)
    local = default_calendar.local(due)
    assert (local.weekday(), local.hour, local.minute) == (6, 18, 30)


def test_dst_weekend_closures_last_44_or_46_real_hours(
    default_calendar: BusinessCalendar,
) -> None:
    spring = default_calendar.next_opening(ny(2026, 3, 6, 21))
    fall = default_calendar.next_opening(ny(2026, 10, 30, 21))
    assert wall_time(ny(2026, 3, 6, 21), spring) == 44 * H
    assert wall_time(ny(2026, 10, 30, 21), fall) == 46 * H
    # The open week itself is 123 h, as in any week without a change inside it.
    assert default_calendar.elapsed(ny(2026, 3, 8, 18), ny(2026, 3, 13, 21)) == 123 * H


def test_holiday_closes_the_whole_local_day(holiday_calendar: BusinessCalendar) -> None:
    assert not holiday_calendar.is_open(ny(2026, 11, 26, 12))
    assert holiday_calendar.is_open(ny(2026, 11, 25, 23, 59, 59))
    assert holiday_calendar.next_closing(ny(2026, 11, 25, 9)) == ny(2026, 11, 26)
    assert holiday_calendar.next_opening(ny(2026, 11, 26, 9)) == ny(2026, 11, 27)
    assert holiday_calendar.add(ny(2026, 11, 25, 23, 30), H) == ny(2026, 11, 27, 0, 30)
    assert holiday_calendar.elapsed(ny(2026, 11, 25), ny(2026, 11, 28)) == 24 * H + 21 * H


def test_holiday_on_the_opening_sunday_moves_the_opening_to_monday() -> None:
    calendar = BusinessCalendar(
        "America/New_York", parse_business_hours("Sun 18:00-Fri 21:00"), [date(2026, 12, 27)]
    )
    assert calendar.next_opening(ny(2026, 12, 26, 12)) == ny(2026, 12, 28)


def test_ranges_crossing_midnight(midnight_calendar: BusinessCalendar) -> None:
    # Mon 22:00-Tue 02:00: a 4-hour night shift.
    assert midnight_calendar.add(ny(2026, 11, 16, 21), 3 * H) == ny(2026, 11, 17, 1)
    assert midnight_calendar.add(ny(2026, 11, 16, 23), 3 * H) == ny(2026, 11, 17, 2)
    minute = timedelta(minutes=1)
    assert midnight_calendar.add(ny(2026, 11, 16, 23), 3 * H + minute) == ny(2026, 11, 18, 9, 1)
    assert midnight_calendar.next_closing(ny(2026, 11, 16, 22)) == ny(2026, 11, 17, 2)
    # Sat 22:00-Sun 02:00 crosses the week boundary.
    assert midnight_calendar.is_open(ny(2026, 11, 22, 1, 59))
    assert not midnight_calendar.is_open(ny(2026, 11, 22, 2))


def test_open_intervals_are_clipped_and_keep_local_times(
    default_calendar: BusinessCalendar,
) -> None:
    intervals = list(default_calendar.open_intervals(ny(2026, 10, 30, 20), ny(2026, 11, 2, 1)))
    assert intervals == [
        (ny(2026, 10, 30, 20), ny(2026, 10, 30, 21)),
        (ny(2026, 11, 1, 18), ny(2026, 11, 2, 1)),
    ]
    assert list(default_calendar.open_intervals(ny(2026, 11, 2), ny(2026, 11, 2))) == []
    assert list(default_calendar.open_intervals(ny(2026, 11, 3), ny(2026, 11, 2))) == []


def test_elapsed(default_calendar: BusinessCalendar) -> None:
    assert default_calendar.elapsed(ny(2026, 11, 20, 20), ny(2026, 11, 22, 19)) == 2 * H
    assert default_calendar.elapsed(ny(2026, 11, 22, 19), ny(2026, 11, 20, 20)) == timedelta(0)
    assert default_calendar.elapsed(ny(2026, 11, 21), ny(2026, 11, 22)) == timedelta(0)
    week = default_calendar.elapsed(ny(2026, 11, 15), ny(2026, 11, 22))
    assert week == timedelta(days=5, hours=3)


def test_hours_inside_the_spring_forward_gap_move_forward() -> None:
    # 02:30 does not exist on 2026-03-08 in New York; pendulum reads it as 03:30 EDT.
    calendar = BusinessCalendar("America/New_York", parse_business_hours("Sun 02:30-Sun 05:00"))
    assert calendar.next_opening(ny(2026, 3, 7)) == utc("2026-03-08T07:30:00Z")
    assert not calendar.is_open(utc("2026-03-08T07:15:00Z"))  # 03:15 EDT
    assert calendar.elapsed(ny(2026, 3, 8), ny(2026, 3, 9)) == timedelta(hours=1, minutes=30)
    assert calendar.elapsed(ny(2026, 3, 15), ny(2026, 3, 16)) == timedelta(hours=2, minutes=30)


def test_a_range_that_collapses_in_the_gap_is_dropped_for_that_day() -> None:
    # 02:30 -> 03:30 EDT is after 03:15 EDT: no open time that Sunday, no crash.
    calendar = BusinessCalendar("America/New_York", parse_business_hours("Sun 02:30-Sun 03:15"))
    assert calendar.elapsed(ny(2026, 3, 8), ny(2026, 3, 9)) == timedelta(0)
    assert calendar.next_opening(ny(2026, 3, 8)) == ny(2026, 3, 15, 2, 30)


def test_ambiguous_fall_back_times_take_the_later_instant() -> None:
    calendar = BusinessCalendar("America/New_York", parse_business_hours("Sun 01:30-Sun 03:00"))
    assert calendar.next_opening(ny(2026, 10, 31)) == utc("2026-11-01T06:30:00Z")  # 01:30 EST


def test_a_day_whose_midnight_repeats_keeps_the_previous_days_interval() -> None:
    # Havana falls back at 01:00 -> 00:00 on 2026-11-01, so local 00:00-01:00 happens twice;
    # Saturday's range "until midnight" ends at the second midnight (05:00Z).
    calendar = BusinessCalendar("America/Havana", parse_business_hours("Sat 20:00-Sun 00:00"))
    first_half_hour = utc("2026-11-01T04:30:00Z")  # local Sun 00:30, the first time
    assert calendar.is_open(first_half_hour)
    assert calendar.next_closing(first_half_hour) == utc("2026-11-01T05:00:00Z")


def test_no_open_time_raises_instead_of_looping() -> None:
    mondays = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(120)]
    calendar = BusinessCalendar(
        "America/New_York", parse_business_hours("Mon 09:00-Mon 17:00"), mondays
    )
    assert not calendar.is_open(ny(2026, 1, 5, 10))
    with pytest.raises(NoOpenTimeError, match="never opens"):
        calendar.next_opening(ny(2026, 1, 1))
    with pytest.raises(NoOpenTimeError):
        calendar.add(ny(2026, 1, 1), H)


def test_constructor_refuses_bad_settings() -> None:
    weekly = parse_business_hours("Sun 18:00-Fri 21:00")
    with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
        BusinessCalendar("Mars/Olympus", weekly)
    with pytest.raises(ValueError, match="unknown timezone"):
        BusinessCalendar("", weekly)
    with pytest.raises(ValueError, match="empty"):
        BusinessCalendar("UTC", [])


def test_describe_and_properties(holiday_calendar: BusinessCalendar) -> None:
    default = BusinessCalendar.default()
    assert default.describe() == "Sun 18:00\u2013Fri 21:00 America/New_York"
    assert default.timezone == "America/New_York"
    assert default.holidays == frozenset()
    assert len(default.weekly) == 1
    assert holiday_calendar.describe().endswith("(1 holiday)")
    text = BusinessCalendar.from_text("UTC", "Mon 09:00-Mon 17:00", "2026-11-26")
    assert text.holidays == {date(2026, 11, 26)}


def test_plain_delta_turns_pendulum_intervals_into_timedelta() -> None:
    interval = ny(2026, 11, 20) - ny(2026, 11, 22, 1, 2, 3)
    plain = plain_delta(interval)
    assert type(plain) is timedelta
    assert plain == -timedelta(days=2, hours=1, minutes=2, seconds=3)
    assert wall_time(ny(2026, 11, 20), datetime(2026, 11, 20, 5, tzinfo=UTC)) == timedelta(0)
