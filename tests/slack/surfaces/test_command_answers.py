"""Answers to `/kustomer-support help`, `status` and `list`."""

from __future__ import annotations

from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_valid_message,
    make_request,
)

from bot.db.models import SupportRequest
from bot.domain.requests import Priority
from bot.slack.surfaces.command_answers import help_message, list_message, status_message

TARGETS = [
    (Priority.LOW, "within 4 hours"),
    (Priority.MEDIUM, "within 2 hours"),
    (Priority.HIGH, "within 1 hour"),
    (Priority.CRITICAL, "within 15 minutes, 24/7"),
]


def _many(count: int) -> list[tuple[SupportRequest, str]]:
    return [
        (make_request(id=i, subject=HOSTILE + " " + "s" * 150, breached_at=NOW), "in 3 h 05 min")
        for i in range(count)
    ]


def test_help_message() -> None:
    message = help_message()
    assert_valid_message(message)
    text = all_text(message.blocks)
    for words in (
        "/kustomer-support status",
        "/kustomer-support list",
        "Critical",
        "complete downtime or system failure",
        "One issue per request",
    ):
        assert words in text


def test_status_when_open() -> None:
    change = NOW.add(days=4)
    message = status_message(
        desk_open=True,
        next_change=change,
        targets=TARGETS,
        my_requests=[(make_request(), "in 45 min")],
        incidents=["Email delivery delayed (investigating)"],
    )
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*open* until <!date^" + str(int(change.timestamp())) in text
    assert "*High*: within 1 hour" in text
    assert "Email delivery delayed" in text
    assert "*KS-1042* Inbox does not load — High · New · in 45 min" in text


def test_status_when_closed_and_nothing_open() -> None:
    message = status_message(desk_open=False, next_change=NOW, targets=TARGETS, my_requests=[])
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*closed*" in text
    assert "24/7" in text
    assert "You have no open requests." in text
    assert "incident" not in text.lower()


def test_status_caps_a_long_list() -> None:
    message = status_message(
        desk_open=True,
        next_change=NOW,
        targets=TARGETS,
        my_requests=_many(200),
        incidents=[HOSTILE] * 30,
    )
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    text = all_text(message.blocks)
    assert "…and 190 more — see `/kustomer-support list`" in text
    assert "…and 20 more" in text


def test_list_message() -> None:
    message = list_message([(make_request(), "in 45 min"), (make_request(id=7), "")])
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*KS-1042* Inbox does not load — High · New · in 45 min" in text
    assert "*KS-1007*" in text
    assert "http" not in text


def test_empty_list_is_friendly() -> None:
    message = list_message([])
    assert_valid_message(message)
    assert "no open requests" in message.text


def test_list_of_200_fits() -> None:
    message = list_message(_many(200))
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    shown = all_text(message.blocks).count("*KS-")
    assert f"…and {200 - shown} more" in all_text(message.blocks)
