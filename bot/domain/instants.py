"""Instants: aware, UTC, pendulum."""

from __future__ import annotations

from datetime import datetime

import pendulum
from pendulum import DateTime


def as_instant(value: datetime) -> DateTime:
    """The same instant as a UTC pendulum DateTime; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: an instant needs a timezone")
    return pendulum.instance(value).in_timezone("UTC")


def optional_instant(value: datetime | None) -> DateTime | None:
    """`as_instant` that lets None through."""
    return None if value is None else as_instant(value)
