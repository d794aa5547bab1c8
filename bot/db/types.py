"""Column types that keep instants UTC-aware on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

import pendulum
from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware instants as UTC; refuses naive ones; loads them back aware (pendulum)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; give it a timezone")
        utc = value.astimezone(UTC)
        # SQLite has no timezone type: store the UTC wall time and restore the zone on load.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc: datetime = value.astimezone(UTC) if value.tzinfo is not None else value
        # Built on pendulum's UTC zone directly: pendulum.instance() and in_timezone() look the
        # zone up on every call, and a Home or a queue loads hundreds of instants.
        return pendulum.DateTime(
            utc.year,
            utc.month,
            utc.day,
            utc.hour,
            utc.minute,
            utc.second,
            utc.microsecond,
            tzinfo=pendulum.UTC,
        )


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E]):
    """Stores a StrEnum as its value (plain text) and loads it back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 32) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
