"""The engine against the slow wall-time oracle on many instants (seeded, reproducible)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.calendar import BusinessCalendar
from bot.domain.requests import Priority
from bot.domain.sla import FIRST_RESPONSE_TARGETS, RESOLUTION_TARGET, SlaPolicy

from .oracle import MinuteTable

CREATE_FROM = datetime(2026, 2, 27, tzinfo=UTC)
CREATE_UNTIL = datetime(2026, 12, 8, tzinfo=UTC)
# Fri-to-Mon windows around both DST changes and the Thanksgiving week, sampled densely.
HOT_WINDOWS = [
    (datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC)),
    (datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)),
    (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)),
]
OFFSETS = [
    timedelta(0),
    timedelta(microseconds=1),
    timedelta(seconds=1),
    timedelta(seconds=59),
    timedelta(seconds=60),
    timedelta(minutes=7, seconds=13),
]


def _random_instant(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = rng.randrange(int((end - start).total_seconds()))
    micro = rng.randrange(1_000_000) if rng.random() < 0.25 else 0
    return start + timedelta(seconds=seconds, microseconds=micro)


def creation_instants(table: MinuteTable, seed: int, count: int) -> Iterator[datetime]:
    """Random instants, dense near DST weekends and the holiday, plus every edge case."""
    rng = random.Random(seed)
    for _ in range(count):
        yield _random_instant(rng, CREATE_FROM, CREATE_UNTIL)
    for start, end in HOT_WINDOWS:
        for _ in range(count // 8):
            yield _random_instant(rng, start, end)
    for edge in table.edges():
        if not CREATE_FROM <= edge <= CREATE_UNTIL:
            continue
        for offset in OFFSETS:
            yield edge + offset
            yield edge - offset
        for target in FIRST_RESPONSE_TARGETS.values():  # targets that end exactly at an edge
            yield edge - target


def _check_all_priorities(policy: SlaPolicy, table: MinuteTable, created: datetime) -> None:
    assert policy.open_at(created) is table.is_open(created), created
    for priority in (Priority.LOW, Priority.MEDIUM, Priority.HIGH):
        expected = table.due(created, FIRST_RESPONSE_TARGETS[priority])
        assert policy.first_response_due(priority, created) == expected, (priority, created)
    critical = policy.first_response_due(Priority.CRITICAL, created)
    assert critical == created + FIRST_RESPONSE_TARGETS[Priority.CRITICAL]


@pytest.mark.parametrize(
    ("calendar_name", "table_name", "count"),
    [("holiday_calendar", "default_table", 7_000), ("midnight_calendar", "midnight_table", 2_000)],
)
def test_first_response_due_matches_the_oracle(
    request: pytest.FixtureRequest, calendar_name: str, table_name: str, count: int
) -> None:
    calendar: BusinessCalendar = request.getfixturevalue(calendar_name)
    table: MinuteTable = request.getfixturevalue(table_name)
    policy = SlaPolicy(calendar)
    checked = 0
    for created in creation_instants(table, seed=20261101, count=count):
        _check_all_priorities(policy, table, created)
        checked += 1
    assert checked >= count * 1.3


def test_enough_instants_in_total(default_table: MinuteTable, midnight_table: MinuteTable) -> None:
    total = sum(1 for _ in creation_instants(default_table, 20261101, 7_000))
    total += sum(1 for _ in creation_instants(midnight_table, 20261101, 2_000))
    assert total >= 10_000


def test_resolution_and_elapsed_match_the_oracle(
    holiday_calendar: BusinessCalendar, default_table: MinuteTable
) -> None:
    policy = SlaPolicy(holiday_calendar)
    rng = random.Random(96)
    for _ in range(400):
        created = _random_instant(rng, CREATE_FROM, CREATE_UNTIL)
        assert policy.resolution_due(created) == default_table.due(created, RESOLUTION_TARGET)
        later = created + timedelta(seconds=rng.randrange(9 * 86_400))
        expected = default_table.elapsed(created, later)
        assert holiday_calendar.elapsed(created, later) == expected, (created, later)


def test_the_minute_table_agrees_with_the_per_second_oracle(default_table: MinuteTable) -> None:
    rng = random.Random(7)
    edges = [e for e in default_table.edges() if CREATE_FROM <= e <= CREATE_UNTIL]
    for edge in edges:
        for _ in range(5):
            at = edge + timedelta(seconds=rng.randrange(-90, 90))
            assert default_table.is_open(at) is default_table.oracle.is_open(at)
