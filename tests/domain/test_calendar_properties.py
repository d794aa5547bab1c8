"""Algebraic properties of add/elapsed/open_intervals on seeded random inputs."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.calendar import BusinessCalendar

START = datetime(2026, 2, 1, tzinfo=UTC)
SPAN_SECONDS = 330 * 86_400


def _instant(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(SPAN_SECONDS), microseconds=rng.randrange(10**6))


def _amount(rng: random.Random) -> timedelta:
    return timedelta(seconds=rng.randrange(0, 200 * 3600), microseconds=rng.randrange(10**6))


@pytest.fixture(params=["holiday_calendar", "midnight_calendar"])
def calendar(request: pytest.FixtureRequest) -> BusinessCalendar:
    result: BusinessCalendar = request.getfixturevalue(request.param)
    return result


def test_elapsed_undoes_add(calendar: BusinessCalendar) -> None:
    rng = random.Random(1)
    for _ in range(1_500):
        start, amount = _instant(rng), _amount(rng)
        due = calendar.add(start, amount)
        assert calendar.elapsed(start, due) == amount
        assert due >= start


def test_add_of_elapsed_is_the_earliest_instant_with_that_much_open_time(
    calendar: BusinessCalendar,
) -> None:
    rng = random.Random(2)
    for _ in range(1_500):
        start = _instant(rng)
        end = start + timedelta(seconds=rng.randrange(10 * 86_400))
        back = calendar.add(start, calendar.elapsed(start, end))
        assert back <= end
        assert calendar.elapsed(start, back) == calendar.elapsed(start, end)
        if calendar.is_open(end) and calendar.elapsed(start, end):
            assert back == end


def test_add_is_additive_and_elapsed_splits(calendar: BusinessCalendar) -> None:
    rng = random.Random(3)
    for _ in range(1_000):
        start, first, second = _instant(rng), _amount(rng), _amount(rng)
        assert calendar.add(calendar.add(start, first), second) == calendar.add(
            start, first + second
        )
        a, b, c = sorted(_instant(rng) for _ in range(3))
        assert calendar.elapsed(a, b) + calendar.elapsed(b, c) == calendar.elapsed(a, c)


def test_open_intervals_are_ordered_separate_open_and_sum_to_elapsed(
    calendar: BusinessCalendar,
) -> None:
    rng = random.Random(4)
    for _ in range(300):
        start = _instant(rng)
        end = start + timedelta(seconds=rng.randrange(20 * 86_400))
        intervals = list(calendar.open_intervals(start, end))
        total = sum((close - open_ for open_, close in intervals), timedelta(0))
        assert total == calendar.elapsed(start, end)
        for (_, close), (next_open, _) in itertools.pairwise(intervals):
            assert close < next_open  # merged: touching intervals would have been joined
        for open_, close in intervals:
            assert start <= open_ < close <= end
            assert calendar.is_open(open_)
            assert calendar.next_closing(open_) >= close
            if close < end:
                assert not calendar.is_open(close)


def test_next_opening_and_closing_bracket_the_instant(calendar: BusinessCalendar) -> None:
    rng = random.Random(5)
    for _ in range(1_000):
        at = _instant(rng)
        opening, closing = calendar.next_opening(at), calendar.next_closing(at)
        assert at <= opening < closing
        assert calendar.is_open(opening)
        assert not calendar.is_open(closing)
        assert (opening == at) is calendar.is_open(at)
        assert calendar.elapsed(at, opening) == timedelta(0)
        assert calendar.elapsed(opening, closing) == closing - opening
