"""A prefill button can say where its text was written; anything odd reads as unknown."""

from __future__ import annotations

import pytest

from bot.slack.forms import prefill_value, read_origin, read_prefill


def test_the_origin_travels_with_the_text() -> None:
    value = prefill_value("<!channel> exports fail", origin=("C0SUPPORT", "1763500000.000100"))

    assert read_prefill(value) == "<!channel> exports fail"
    assert read_origin(value) == ("C0SUPPORT", "1763500000.000100")
    assert "<" not in value


def test_a_long_text_is_cut_but_keeps_its_origin() -> None:
    value = prefill_value("x" * 5000, origin=("C0SUPPORT", "1763500000.000100"))

    assert len(value) <= 2000
    assert read_origin(value) == ("C0SUPPORT", "1763500000.000100")


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "not json",
        '{"t": "x"}',
        '{"t": "x", "o": "C1"}',
        '{"t": "x", "o": ["C1"]}',
        '{"t": "x", "o": ["c0lower", "1.2"]}',
        '{"t": "x", "o": ["C0SUPPORT", "yesterday"]}',
        '{"t": "x", "o": [1, 2]}',
        '["C0SUPPORT", "1.2"]',
    ],
)
def test_a_missing_or_malformed_origin_is_none(value: str | None) -> None:
    assert read_origin(value) is None
