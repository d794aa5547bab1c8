"""A slow, obviously correct reference for the business clock, independent of the engine.

`WallOracle.is_open` looks only at the instant's local wall time (stdlib zoneinfo, not
pendulum) and the holiday set. `MinuteTable` asks it once per UTC minute and walks minute
by minute. That is exact when every opening and closing falls on a whole local minute in
a zone whose UTC offset is a whole number of minutes (true for America/New_York and
whole-minute business hours), because the desk cannot change state inside such a minute;
the first, partial minute is counted exactly to the microsecond.

It reads wall time literally, so it is a faithful reference only for hours that do not
start or end inside the DST gap or the repeated fall-back hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
WEEK_SECONDS = 7 * 86_400


def _week_seconds(day: int, at: time) -> float:
    return day * 86_400 + at.hour * 3_600 + at.minute * 60 + at.second + at.microsecond / 1e6


class WallOracle:
    """Open iff the local wall time lies in a weekly range and the local date is no holiday."""

    def __init__(
        self,
        timezone: str,
        ranges: Sequence[tuple[int, time, int, time]],
        holidays: Iterable[date] = (),
    ) -> None:
        self.tz = ZoneInfo(timezone)
        self.ranges = [(_week_seconds(d1, t1), _week_seconds(d2, t2)) for d1, t1, d2, t2 in ranges]
        self.holidays = frozenset(holidays)

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.tz)
        if local.date() in self.holidays:
            return False
        offset = _week_seconds(local.weekday(), local.time())
        for start, end in self.ranges:
            if start < end and start <= offset < end:
                return True
            if start > end and (offset >= start or offset < end):  # wraps past Sunday 24:00
                return True
        return False


class MinuteTable:
    """The oracle's answer for every UTC minute of a span, and walks over it."""

    def __init__(self, oracle: WallOracle, first: datetime, last: datetime) -> None:
        self.oracle = oracle
        self.base = first.astimezone(UTC).replace(second=0, microsecond=0)
        count = int((last - self.base) / MINUTE) + 1
        self.open = [oracle.is_open(self.base + i * MINUTE) for i in range(count)]

    def minute_of(self, at: datetime) -> int:
        return int((at.astimezone(UTC) - self.base) // MINUTE)

    def start_of(self, index: int) -> datetime:
        return self.base + index * MINUTE

    def is_open(self, at: datetime) -> bool:
        return self.open[self.minute_of(at)]

    def due(self, created: datetime, target: timedelta) -> datetime:
        """The first instant by which `target` of open time has passed since `created`."""
        left = target
        index = self.minute_of(created)
        if self.open[index]:
            part = self.start_of(index + 1) - created.astimezone(UTC)
            if left <= part:
                return created.astimezone(UTC) + left
            left -= part
        while True:
            index += 1
            if self.open[index]:
                if left <= MINUTE:
                    return self.start_of(index) + left
                left -= MINUTE

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time in [start, end), walking minute by minute."""
        total = timedelta(0)
        cursor = start.astimezone(UTC)
        stop = end.astimezone(UTC)
        while cursor < stop:
            index = self.minute_of(cursor)
            step_end = min(self.start_of(index + 1), stop)
            if self.open[index]:
                total += step_end - cursor
            cursor = step_end
        return total

    def edges(self) -> list[datetime]:
        """Every instant in the span where the desk opens or closes."""
        return [
            self.start_of(i) for i in range(1, len(self.open)) if self.open[i] != self.open[i - 1]
        ]
