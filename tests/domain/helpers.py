"""Small constructors for instants in the tests."""

from __future__ import annotations

import pendulum
from pendulum import DateTime

NY = "America/New_York"


def ny(*parts: int) -> DateTime:
    """A New York wall time from (year, month, day[, hour, minute, second, microsecond]).

    Pendulum resolves a wall time in the DST gap forward and a repeated one to the later instant.
    """
    year, month, day, hour, minute, second, microsecond = (*parts, 0, 0, 0, 0)[:7]
    return pendulum.datetime(year, month, day, hour, minute, second, microsecond, tz=NY)


def utc(text: str) -> DateTime:
    """A UTC instant from ISO text."""
    parsed = pendulum.parse(text)
    assert isinstance(parsed, DateTime)
    return parsed.in_timezone("UTC")
