"""Weekly opening hours and holidays: the value types and their text settings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_RANGE_RE = re.compile(
    r"^(?P<d1>[A-Za-z]+)\s+(?P<t1>[0-9:]+)\s*[-\u2013]\s*(?P<d2>[A-Za-z]+)\s+(?P<t2>[0-9:]+)$"
)
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXAMPLE = "e.g. 'Sun 18:00-Fri 21:00' or 'Mon 09:00-Mon 17:00,Tue 09:00-Tue 17:00'"


def _offset(day: int, at: time) -> timedelta:
    """Time since Monday 00:00 of the week, in local wall time."""
    return timedelta(
        days=day, hours=at.hour, minutes=at.minute, seconds=at.second, microseconds=at.microsecond
    )


def _time_of(offset: timedelta) -> time:
    seconds, micro = divmod(offset % DAY // timedelta(microseconds=1), 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def _render_time(at: time) -> str:
    text = f"{at.hour:02d}:{at.minute:02d}"
    if at.second or at.microsecond:
        text += f":{at.second:02d}"
    return text


@dataclass(frozen=True)
class WeeklyRange:
    """One weekly open period in local wall time; may cross midnight and the week's end."""

    start_day: int
    start_time: time
    end_day: int
    end_time: time

    def __post_init__(self) -> None:
        for day in (self.start_day, self.end_day):
            if not 0 <= day <= 6:
                raise ValueError(f"weekday must be 0 (Mon) to 6 (Sun), got {day}")
        if self.start_time.tzinfo is not None or self.end_time.tzinfo is not None:
            raise ValueError("weekly hours are local wall times: give times without a timezone")
        if self.start_offset == self.end_offset:
            raise ValueError(f"range {self} is empty: its start equals its end")

    @property
    def start_offset(self) -> timedelta:
        return _offset(self.start_day, self.start_time)

    @property
    def end_offset(self) -> timedelta:
        return _offset(self.end_day, self.end_time)

    @property
    def length(self) -> timedelta:
        """Wall-clock length of the range, ignoring DST."""
        return (self.end_offset - self.start_offset) % WEEK

    def daily_segments(self) -> Iterator[tuple[int, time, time | None]]:
        """Split into (weekday, start, end) pieces within one day; end None means midnight."""
        cursor, left = self.start_offset, self.length
        while left > timedelta(0):
            day_end = (cursor // DAY + 1) * DAY
            piece_end = min(cursor + left, day_end)
            end = None if piece_end == day_end else _time_of(piece_end)
            yield int(cursor // DAY) % 7, _time_of(cursor), end
            left -= piece_end - cursor
            cursor = piece_end % WEEK

    def __str__(self) -> str:
        start = f"{DAY_NAMES[self.start_day]} {_render_time(self.start_time)}"
        return f"{start}\u2013{DAY_NAMES[self.end_day]} {_render_time(self.end_time)}"


def weekly_open_time(ranges: Sequence[WeeklyRange]) -> timedelta:
    """Wall-clock length of the union of the ranges within one week."""
    pieces: list[tuple[timedelta, timedelta]] = []
    for weekly in ranges:
        start, end = weekly.start_offset, weekly.start_offset + weekly.length
        if end > WEEK:  # wraps past Sunday midnight: split so every piece lies in [0, WEEK)
            pieces += [(start, WEEK), (timedelta(0), end - WEEK)]
        else:
            pieces.append((start, end))
    total, reach = timedelta(0), timedelta(0)
    for start, end in sorted(pieces):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def check_weekly(ranges: Sequence[WeeklyRange]) -> None:
    """Refuse weekly hours that never open or never close."""
    if not ranges:
        raise ValueError(f"business hours are empty: give at least one range, {_EXAMPLE}")
    if weekly_open_time(ranges) >= WEEK:
        raise ValueError(
            "business hours cover the whole week, so the desk would never close; "
            "leave a closed period (Critical requests already run on the 24/7 wall clock)"
        )


def _parse_day(name: str, part: str) -> int:
    try:
        return [d.lower() for d in DAY_NAMES].index(name.lower())
    except ValueError:
        raise ValueError(
            f"unknown day {name!r} in {part!r}: use Mon, Tue, Wed, Thu, Fri, Sat or Sun"
        ) from None


def _parse_time(text: str, part: str) -> timedelta:
    error = ValueError(f"bad time {text!r} in {part!r}: use HH:MM or HH:MM:SS, 00:00 to 24:00")
    match = _TIME_RE.match(text)
    if match is None:
        raise error
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    # 24:00 is accepted as "midnight at the end of the day".
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise error
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _parse_range(part: str) -> WeeklyRange:
    match = _RANGE_RE.match(part)
    if match is None:
        raise ValueError(f"bad business-hours range {part!r}: write it as 'Day HH:MM-Day HH:MM'")
    start = (_parse_day(match["d1"], part) * DAY + _parse_time(match["t1"], part)) % WEEK
    end = (_parse_day(match["d2"], part) * DAY + _parse_time(match["t2"], part)) % WEEK
    if start == end:
        raise ValueError(f"business-hours range {part!r} is empty: its start equals its end")
    return WeeklyRange(start // DAY, _time_of(start), end // DAY, _time_of(end))


def parse_business_hours(text: str) -> tuple[WeeklyRange, ...]:
    """Parse 'Sun 18:00-Fri 21:00[,...]'; overlapping or touching ranges are merged (union)."""
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise ValueError(f"business hours are empty: {_EXAMPLE}")
    ranges = tuple(_parse_range(part) for part in parts if part)
    check_weekly(ranges)
    return ranges


def parse_holidays(text: str) -> frozenset[date]:
    """Parse comma-separated YYYY-MM-DD local dates; an empty string means no holidays."""
    holidays: set[date] = set()
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        if not _DATE_RE.match(piece):
            raise ValueError(
                f"bad holiday {piece!r}: use YYYY-MM-DD dates separated by commas, "
                "e.g. '2026-11-26,2026-12-25'"
            )
        try:
            holidays.add(date.fromisoformat(piece))
        except ValueError as error:
            raise ValueError(f"bad holiday {piece!r}: {error}") from None
    return frozenset(holidays)
