"""Every inbound parser under hostile input, through the real endpoint with valid signatures.

Each answer is 200 (nothing, or an inline error, or an ephemeral answer) or a short 4xx
that asks Slack not to retry; nothing the app sends pings anyone; no listener trips over a
payload. The request filed before the barrage is intact after it, and filing still works.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from bot.devtools.harness import Harness
from tests.e2e.flows import filing_values, open_modal, request_id
from tests.hostile import payloads, strategies
from tests.hostile.checks import Barrage, Filed, assert_filing_still_works
from tests.hostile.conftest import postgres_only, sqlite_only

# What the long profile found once; every run tries them again.
NO_RESPONSE_URL = {
    "team_id": "T0001",
    "channel_id": "C0SUPPORT",
    "user_id": "U0CARL",  # may not file through chat: told so through the response_url
    "command": "/kustomer-support",
    "text": "",
    "trigger_id": strategies.FRESH,
}


@sqlite_only
def test_slash_commands(world: Harness, filed: Filed, barrage: Barrage) -> None:
    @given(payloads.command_fields(as_text=True))
    @example(NO_RESPONSE_URL)
    def as_form(fields: dict[str, str]) -> None:
        barrage.send_form(fields)

    @given(payloads.command_fields(as_text=False))
    def as_json(body: dict[str, object]) -> None:
        barrage.send_json(body)

    as_form()
    as_json()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@sqlite_only
def test_view_submissions(world: Harness, filed: Filed, barrage: Barrage) -> None:
    modal = open_modal(world, world.cast.admin)

    @given(payloads.submissions(modal))
    def submit(payload: dict[str, object]) -> None:
        barrage.send_payload(payload)

    submit()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@sqlite_only
def test_block_actions(world: Harness, filed: Filed, barrage: Barrage) -> None:
    @given(payloads.block_actions(request_id(filed.root), filed.root))
    def click(payload: dict[str, object]) -> None:
        barrage.send_payload(payload)

    click()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@sqlite_only
def test_message_events(world: Harness, filed: Filed, barrage: Barrage) -> None:
    @given(payloads.message_events(filed.root))
    def post(body: dict[str, object]) -> None:
        barrage.send_json(body)

    post()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@sqlite_only
def test_bodies_bolt_cannot_parse(world: Harness, filed: Filed, barrage: Barrage) -> None:
    @given(strategies.broken_bodies())
    def send(body_and_type: tuple[bytes, str]) -> None:
        barrage.send_raw(*body_and_type)

    send()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@postgres_only
def test_every_parser_on_postgresql(world: Harness, filed: Filed, barrage: Barrage) -> None:
    """The same barrage, mixed, where the database is stricter about what it stores."""
    modal = open_modal(world, world.cast.admin)
    senders = {
        "form": barrage.send_form,
        "payload": barrage.send_payload,
        "json": barrage.send_json,
        "raw": lambda body_and_type: barrage.send_raw(*body_and_type),
    }
    requests = st.one_of(
        payloads.command_fields(as_text=True).map(lambda fields: ("form", fields)),
        payloads.submissions(modal).map(lambda payload: ("payload", payload)),
        payloads.block_actions(request_id(filed.root), filed.root).map(
            lambda payload: ("payload", payload)
        ),
        payloads.message_events(filed.root).map(lambda body: ("json", body)),
        strategies.broken_bodies().map(lambda body_and_type: ("raw", body_and_type)),
    )

    # A name longer than the column that keeps it (PostgreSQL refuses it; SQLite does not).
    long_name = payloads.submission(
        modal, filing_values(), id=world.cast.admin, name="<!channel>" * 3001
    )

    @given(requests)
    @example(("payload", long_name))
    def send(kind_and_request: tuple[str, Any]) -> None:
        kind, request = kind_and_request
        senders[kind](request)

    send()
    filed.assert_intact(world)
    assert_filing_still_works(world)


@sqlite_only
def test_a_slash_command_that_says_payload_is_still_a_slash_command(world: Harness) -> None:
    # Bolt reads every form whose bytes hold "payload" as an interactivity payload, finds
    # no `payload` field, and sees an empty body: the command went unanswered (404).
    answer = world.driver.slash_command(
        user_id=world.cast.admin, text="status of my payload", channel_id=world.cast.support_channel
    )

    assert answer.status == 200
    assert answer.json()["response_type"] == "ephemeral"
