"""SlaTerms: the policy snapshot each request keeps, and its JSON column."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.domain.calendar import BusinessCalendar
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.domain.sla_terms import (
    CRITICAL_UPDATE_INTERVAL,
    DEFAULT_REMINDER_FRACTIONS,
    FIRST_RESPONSE_TARGETS,
    RESOLUTION_TARGET,
    SlaTerms,
)
from tests.conftest import new_request
from tests.domain.helpers import ny

CUSTOM = SlaTerms(
    reminder_fractions=(0.25, 0.9),
    first_response={
        Priority.LOW: timedelta(hours=8),
        Priority.MEDIUM: timedelta(hours=3),
        Priority.HIGH: timedelta(minutes=30),
        Priority.CRITICAL: timedelta(minutes=10),
    },
    resolution=timedelta(hours=48),
    update_interval=timedelta(minutes=20),
)


def _through_the_column(terms: SlaTerms) -> SlaTerms:
    """Stored as JSON text and read back, as the `sla_terms` column does."""
    return SlaTerms.from_json(json.loads(json.dumps(terms.to_json())))


def test_the_defaults_are_the_support_policy() -> None:
    terms = SlaTerms()

    assert terms.reminder_fractions == DEFAULT_REMINDER_FRACTIONS == (0.5, 0.8)
    assert dict(terms.first_response) == dict(FIRST_RESPONSE_TARGETS)
    assert terms.resolution == RESOLUTION_TARGET == timedelta(hours=96)
    assert terms.update_interval == CRITICAL_UPDATE_INTERVAL == timedelta(minutes=30)


@pytest.mark.parametrize(
    "terms",
    [SlaTerms(), CUSTOM, SlaTerms(reminder_fractions=())],
    ids=["defaults", "custom", "no-reminders"],
)
def test_terms_survive_the_json_column(terms: SlaTerms) -> None:
    assert _through_the_column(terms) == terms


def test_the_json_is_plain_seconds_and_fractions() -> None:
    assert CUSTOM.to_json() == {
        "reminder_fractions": [0.25, 0.9],
        "first_response_seconds": {"low": 28800, "medium": 10800, "high": 1800, "critical": 600},
        "resolution_seconds": 172800,
        "update_interval_seconds": 1200,
    }


@pytest.mark.parametrize("stored", [None, {}], ids=["null", "empty"])
def test_rows_without_terms_get_the_defaults(stored: dict[str, Any] | None) -> None:
    assert SlaTerms.from_json(stored) == SlaTerms()


def test_missing_parts_of_stored_terms_fall_back_to_the_defaults() -> None:
    stored = {"reminder_fractions": [0.3], "first_response_seconds": {"high": 1800}}

    terms = SlaTerms.from_json(stored)

    assert terms.reminder_fractions == (0.3,)
    assert terms.first_response[Priority.HIGH] == timedelta(minutes=30)
    assert terms.first_response[Priority.LOW] == FIRST_RESPONSE_TARGETS[Priority.LOW]
    assert (terms.resolution, terms.update_interval) == (
        RESOLUTION_TARGET,
        CRITICAL_UPDATE_INTERVAL,
    )


def test_fractions_are_sorted_without_repeats() -> None:
    assert SlaTerms(reminder_fractions=(0.8, 0.5, 0.8)).reminder_fractions == (0.5, 0.8)


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5, -0.1])
def test_a_fraction_outside_zero_and_one_is_refused(fraction: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        SlaTerms(reminder_fractions=(0.5, fraction))


def test_the_targets_cannot_be_changed_behind_the_terms_back() -> None:
    targets = dict(FIRST_RESPONSE_TARGETS)
    terms = SlaTerms(first_response=targets)

    targets[Priority.HIGH] = timedelta(hours=9)

    assert terms.first_response[Priority.HIGH] == timedelta(hours=1)
    with pytest.raises(TypeError):
        terms.first_response[Priority.HIGH] = timedelta(hours=9)  # type: ignore[index]


def test_a_request_without_terms_has_the_defaults() -> None:
    request: Request = new_request()

    assert request.terms == SlaTerms()


def test_a_policy_files_under_its_terms_and_reasons_under_a_request_terms() -> None:
    calendar = BusinessCalendar.default()
    policy = SlaPolicy(calendar, (0.25, 0.9))
    wednesday = ny(2026, 11, 18, 15)

    assert policy.terms == SlaTerms(reminder_fractions=(0.25, 0.9))
    assert policy.under(SlaTerms(reminder_fractions=(0.25, 0.9))) is policy
    own = policy.under(CUSTOM)
    assert own.terms == CUSTOM
    assert own.calendar is calendar  # the business calendar stays live
    assert own.first_response_due(Priority.HIGH, wednesday) == wednesday.add(minutes=30)
    assert policy.first_response_due(Priority.HIGH, wednesday) == wednesday.add(hours=1)
