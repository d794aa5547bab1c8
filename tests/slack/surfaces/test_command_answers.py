"""Answers to `/kustomer-support help`, `status` and `list`."""

from __future__ import annotations

from outage_samples import incident, outage_history, vendor
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
from bot.slack.surfaces.blocks import when
from bot.slack.surfaces.command_answers import (
    RECENT_REQUESTS,
    help_message,
    list_message,
    status_message,
)

TARGETS = [
    (Priority.LOW, "within 4 hours"),
    (Priority.MEDIUM, "within 2 hours"),
    (Priority.HIGH, "within 1 hour"),
    (Priority.CRITICAL, "within 15 minutes, 24/7"),
]


def _many(count: int) -> list[tuple[SupportRequest, str]]:
    return [
        (make_request(id=i, subject=HOSTILE + " " + "s" * 150, breached_at=NOW), "overdue")
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
        my_requests=[(make_request(), "desk closed: clock stands still")],
        vendor=outage_history(),
    )
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*open* until <!date^" + str(int(change.timestamp())) in text
    assert "*High*: within 1 hour" in text
    assert "*Vendor incidents right now*" in text
    assert "Email delivery delayed* · Identified · since <!date^" in text
    assert "Channel - Email, API" in text
    assert "*Vendor incidents, last 90 days* — 3 incidents, total downtime *11h 51m*" in text
    assert "*Chat widget slow* · <!date^" in text and "· 2h 38m" in text
    assert "· 8h 13m" in text
    assert "→ ongoing · 1h so far" in text
    due = when(NOW.add(hours=1))
    line = "*KS-1042* Inbox does not load — High · New · first response due "
    assert f"{line}{due} (desk closed: clock stands still)" in text


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
        vendor=vendor(
            [incident(f"now{i}", HOSTILE) for i in range(30)],
            [incident(f"old{i}", HOSTILE * 3, minutes=5) for i in range(200)],
        ),
    )
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    text = all_text(message.blocks)
    assert "…and 190 more — see `/kustomer-support list`" in text
    assert "…and 25 more" in text  # incidents right now: five are listed
    assert "…and 220 more" in text  # the last 90 days: ten are listed


def test_list_message_shows_open_requests_with_due_instants() -> None:
    answered = make_request(id=7, status="in_progress", first_responded_at=NOW)
    breached = make_request(id=8, breached_at=NOW.add(hours=1))
    message = list_message([(make_request(), "overdue"), (answered, ""), (breached, "")])
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert message.text == "Your open requests (3)"
    due, resolution = when(NOW.add(hours=1)), when(NOW.add(days=6))
    lines = text.split("\n")
    assert lines[1:] == [
        f"*KS-1042* Inbox does not load — High · New · first response due {due} (overdue)",
        f"*KS-1007* Inbox does not load — High · In progress · answered · resolution due "
        f"{resolution}",
        f"*KS-1008* Inbox does not load — High · New · first response due {due} · "
        ":red_circle: breached",
    ]
    assert ":red_circle: breached" in text
    assert "Recently resolved" not in text
    assert "http" not in text


def test_list_message_puts_at_most_five_resolved_behind_a_line() -> None:
    resolved = [
        make_request(id=i, status="resolved", resolved_at=NOW.subtract(hours=i)) for i in range(9)
    ]
    message = list_message([(make_request(), "")], resolved=resolved)
    assert_valid_message(message)
    text = all_text(message.blocks)
    open_part, resolved_part = text.split("*Recently resolved*")
    assert "*KS-1042*" in open_part and "resolved" not in open_part
    assert resolved_part.count("*KS-") == RECENT_REQUESTS == 5
    assert f"*KS-1000* Inbox does not load — High · resolved {when(NOW)}" in resolved_part
    assert "*KS-1005*" not in resolved_part


def test_list_message_with_only_resolved_requests() -> None:
    message = list_message([], resolved=[make_request(status="resolved", resolved_at=NOW)])
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "You have no open requests." in text
    assert text.index("You have no open requests.") < text.index("*Recently resolved*")


def test_empty_list_is_friendly() -> None:
    message = list_message([])
    assert_valid_message(message)
    assert "no open requests" in message.text


def test_list_of_200_fits() -> None:
    resolved = [make_request(id=i, subject=HOSTILE, status="resolved") for i in range(5)]
    message = list_message(_many(200), resolved=resolved)
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    text = all_text(message.blocks)
    shown = text.split("*Recently resolved*")[0].count("*KS-")
    assert f"…and {200 - shown} more" in text
    assert message.blocks[-2]["text"]["text"] == "*Recently resolved*"


def test_a_customer_accounts_list_names_the_account_and_cannot_ping() -> None:
    message = list_message([(make_request(), "")], account="Acme <!channel> & Co")
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    assert message.text == "Acme &lt;!channel&gt; &amp; Co's open requests (1)"
    empty = list_message([], account="Acme <!here>")
    assert "Acme &lt;!here&gt; has no open requests." in empty.text
