"""The SLA report's arithmetic: percentiles, percentages and rounding to whole seconds."""

from __future__ import annotations

import pytest

from bot.domain.calendar import BusinessCalendar
from bot.domain.report import build_report
from bot.domain.report_tally import percentage, percentile
from tests.services.reporting_history import HIGH, NOW, filed

CALENDAR = BusinessCalendar.default()


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([5.0], 0.9, 5.0),
        ([1.0, 3.0], 0.5, 2.0),
        ([3.0, 1.0, 2.0], 0.5, 2.0),
        ([10.0, 20.0, 30.0, 40.0], 0.5, 25.0),
        # position (4 - 1) x 0.9 = 2.7: 30 + 0.7 x 10
        ([10.0, 20.0, 30.0, 40.0], 0.9, 37.0),
        ([10.0, 20.0, 30.0, 40.0], 0.0, 10.0),
        ([10.0, 20.0, 30.0, 40.0], 1.0, 40.0),
        # position 9 x 0.9 = 8.1: 9 + 0.1 x (100 - 9)
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0], 0.9, 18.1),
    ],
)
def test_percentiles_interpolate_between_closest_ranks(
    values: list[float], fraction: float, expected: float
) -> None:
    assert percentile(values, fraction) == pytest.approx(expected)


def test_percentile_refuses_nothing_and_bad_fractions() -> None:
    with pytest.raises(ValueError, match="at least one"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="fraction"):
        percentile([1.0], 1.5)


def test_percentages_round_to_one_decimal_and_need_a_whole() -> None:
    assert percentage(7, 11) == 63.6
    assert percentage(2, 3) == 66.7
    assert percentage(0, 0) is None


def test_reported_seconds_round_half_up() -> None:
    # Answers after 1 s and 2 s: the median is 1.5 s, reported as 2 s.
    requests = [
        filed("A", HIGH, "2026-03-09T09:00-04:00", "2026-03-09T10:00-04:00",
              first_responded_at=f"2026-03-09T09:00:0{seconds}-04:00")
        for seconds in (1, 2)
    ]  # fmt: skip

    totals = build_report(requests, calendar=CALENDAR, now=NOW).totals

    assert totals.median_first_response_wall_seconds == 2
    assert totals.median_first_response_business_seconds == 2
