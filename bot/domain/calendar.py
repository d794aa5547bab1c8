"""BusinessCalendar: when the desk is open, and how to add and measure open business time.

The calendar works on whole open intervals (real UTC instants), built one local day at a
time from the weekly hours, never minute by minute. Local wall times are turned into
instants with pendulum in the calendar's timezone, so daylight-saving changes never move
an opening or a closing. Wall times that do not exist (the spring-forward gap) follow
pendulum's default and move forward by the gap (02:30 becomes 03:30); ambiguous wall times
(the fall-back hour) resolve to the later instant (pendulum's default, fold=1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

import pendulum
from pendulum import DateTime

from bot.domain.business_hours import (
    DAY,
    WeeklyRange,
    check_weekly,
    parse_business_hours,
    parse_holidays,
)

__all__ = [
    "SCAN_LIMIT_DAYS",
    "BusinessCalendar",
    "NoOpenTimeError",
    "WeeklyRange",
    "parse_business_hours",
    "parse_holidays",
    "plain_delta",
    "wall_time",
]

DEFAULT_TIMEZONE = "America/New_York"
DEFAULT_HOURS = "Sun 18:00-Fri 21:00"
SCAN_LIMIT_DAYS = 400
_CACHE_LIMIT = 8192

Interval = tuple[datetime, datetime]


class NoOpenTimeError(ValueError):
    """The calendar stays closed for longer than the scan limit (e.g. all days are holidays)."""


def _to_utc(at: datetime) -> datetime:
    """A plain stdlib UTC datetime: fast arithmetic inside the engine."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"instant {at.isoformat()} has no timezone; give an aware datetime")
    u = at.astimezone(UTC)
    return datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, UTC)


def plain_delta(amount: timedelta) -> timedelta:
    """A stdlib timedelta of the same length (pendulum's Interval redefines `.seconds`)."""
    return timedelta.__add__(timedelta(0), amount)


def wall_time(start: datetime, end: datetime) -> timedelta:
    """Real time from `start` to `end` as a stdlib timedelta (negative when end < start)."""
    return _to_utc(end) - _to_utc(start)


def _out(at: datetime) -> DateTime:
    return pendulum.instance(at, tz="UTC")


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class BusinessCalendar:
    """Weekly open hours in one timezone, minus holidays (local dates closed 00:00-24:00)."""

    def __init__(
        self, timezone: str, weekly: Sequence[WeeklyRange], holidays: Iterable[date] = ()
    ) -> None:
        try:
            self._tz = pendulum.timezone(timezone)
        except (ValueError, KeyError):
            raise ValueError(
                f"unknown timezone {timezone!r}: use an IANA name such as 'America/New_York'"
            ) from None
        check_weekly(weekly)
        self._name = timezone
        self._weekly = tuple(weekly)
        self._holidays = frozenset(holidays)
        self._segments: dict[int, list[tuple[time, time | None]]] = {d: [] for d in range(7)}
        for weekly_range in self._weekly:
            for day, start, end in weekly_range.daily_segments():
                self._segments[day].append((start, end))
        self._days: dict[date, tuple[Interval, ...]] = {}

    @classmethod
    def default(cls) -> BusinessCalendar:
        """The policy's calendar: Sun 18:00 to Fri 21:00, America/New_York, no holidays."""
        return cls(DEFAULT_TIMEZONE, parse_business_hours(DEFAULT_HOURS))

    @classmethod
    def from_text(cls, timezone: str, hours: str, holidays: str = "") -> BusinessCalendar:
        """Build from the text settings (BUSINESS_TIMEZONE, BUSINESS_HOURS, HOLIDAYS)."""
        return cls(timezone, parse_business_hours(hours), parse_holidays(holidays))

    @property
    def timezone(self) -> str:
        return self._name

    @property
    def weekly(self) -> tuple[WeeklyRange, ...]:
        return self._weekly

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    def describe(self) -> str:
        """Short human text, e.g. 'Sun 18:00-Fri 21:00 America/New_York' (with an en dash)."""
        text = f"{', '.join(str(r) for r in self._weekly)} {self._name}"
        if self._holidays:
            count = len(self._holidays)
            text += f" ({count} holiday{'s' if count > 1 else ''})"
        return text

    def local(self, at: datetime) -> DateTime:
        """The instant as a wall time in the calendar's timezone."""
        return pendulum.instance(_to_utc(at), tz="UTC").in_timezone(self._tz)

    def is_open(self, at: datetime) -> bool:
        """Whether `at` lies inside an open interval [open, close)."""
        instant = _to_utc(at)
        # Only the local day and its neighbours can hold `at`; no forward search, so a
        # calendar closed for a long time answers False instead of raising.
        day = instant.astimezone(self._tz).date()
        return any(
            open_at <= instant < close_at
            for offset in (-DAY, timedelta(0), DAY)
            for open_at, close_at in self._day_intervals(day + offset)
        )

    def next_opening(self, at: datetime) -> DateTime:
        """`at` itself when open, else the next opening."""
        return _out(self._first_from(_to_utc(at))[0])

    def next_closing(self, at: datetime) -> DateTime:
        """End of the open interval containing `at`, or of the next one when closed."""
        return _out(self._first_from(_to_utc(at))[1])

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[DateTime, DateTime]]:
        """The open intervals clipped to [start, end), in order."""
        stop = _to_utc(end)
        for open_at, close_at in self._intervals_from(_to_utc(start)):
            if open_at >= stop:
                return
            yield _out(open_at), _out(min(close_at, stop))

    def add(self, start: datetime, amount: timedelta) -> DateTime:
        """The first instant by which `amount` of open time has passed since `start`.

        A target that runs out exactly at a closing is due at that closing instant, and
        adding zero returns `start` itself, open or not.
        """
        if amount < timedelta(0):
            raise ValueError(f"cannot add a negative business time ({amount})")
        instant = _to_utc(start)
        if not amount:
            return _out(instant)
        for open_at, close_at in self._intervals_from(instant):
            if amount <= close_at - open_at:
                return _out(open_at + amount)
            amount -= close_at - open_at
        raise AssertionError("unreachable: _intervals_from never ends")  # pragma: no cover

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time within [start, end); zero when end <= start."""
        stop, total = _to_utc(end), timedelta(0)
        for open_at, close_at in self._intervals_from(_to_utc(start)):
            if open_at >= stop:
                break
            total += min(close_at, stop) - open_at
        return total

    def _first_from(self, instant: datetime) -> Interval:
        return next(self._intervals_from(instant))

    def _intervals_from(self, instant: datetime) -> Iterator[Interval]:
        """Merged open intervals ending after `instant`, the first clipped to start there."""
        # Start a day early: where local midnight repeats (a fall-back at midnight), the
        # previous day's last interval can still be running at `instant`.
        day = instant.astimezone(self._tz).date() - DAY
        current: Interval | None = None
        closed_days = 0
        while True:
            intervals = self._day_intervals(day)
            day += DAY
            if not intervals:
                if current is not None:
                    yield current
                    current = None
                closed_days += 1
                if closed_days > SCAN_LIMIT_DAYS:
                    raise NoOpenTimeError(
                        f"the desk never opens in the {SCAN_LIMIT_DAYS} days after "
                        f"{instant.isoformat()} ({self.describe()}); check hours and holidays"
                    )
                continue
            closed_days = 0
            for day_open, close_at in intervals:
                if close_at <= instant:
                    continue
                open_at = max(day_open, instant)
                if current is not None and open_at <= current[1]:
                    current = (current[0], max(current[1], close_at))
                    continue
                if current is not None:
                    yield current
                current = (open_at, close_at)

    def _day_intervals(self, day: date) -> tuple[Interval, ...]:
        """Open intervals (UTC) of one local date, built from the weekly hours and holidays."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        intervals: list[Interval] = []
        if day not in self._holidays:
            for start, end in self._segments[day.weekday()]:
                open_at = self._instant(day, start)
                close_at = (
                    self._instant(day + DAY, time()) if end is None else self._instant(day, end)
                )
                # A range inside the spring-forward gap can collapse; drop it.
                if open_at < close_at:
                    intervals.append((open_at, close_at))
        result = tuple(_merge(intervals))
        if len(self._days) >= _CACHE_LIMIT:
            self._days.clear()
        self._days[day] = result
        return result

    def _instant(self, day: date, at: time) -> datetime:
        """The real instant of a local wall time, as pendulum resolves it."""
        local = pendulum.datetime(
            day.year,
            day.month,
            day.day,
            at.hour,
            at.minute,
            at.second,
            at.microsecond,
            tz=self._tz,
        )
        return _to_utc(local)

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.describe()!r})"
