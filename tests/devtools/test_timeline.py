"""The demo's timeline against a running stand-in: what it prints, where, and in which order."""

from __future__ import annotations

import io
from typing import Any

import pendulum
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import ManualClock
from bot.devtools import SlackStandIn
from bot.devtools.render import Names
from bot.devtools.timeline import Timeline

from .blockkit import modal, option, plain

NAMES = Names(
    users={"UADMIN": "ada", "UENG": "eng"},
    channels={"C_SUPPORT": "support", "C_SHARED": "ext-acme"},
)
FRIDAY_EVENING = pendulum.datetime(2026, 11, 20, 20, 40, tz="America/New_York")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(FRIDAY_EVENING)


@pytest.fixture
def timeline(standin: SlackStandIn, client: WebClient, clock: ManualClock) -> Timeline:
    client.auth_test()  # a call from before the timeline: never printed
    return Timeline(
        standin=standin,
        names=NAMES,
        timezone="America/New_York",
        now=clock.now,
        out=io.StringIO(),
    )


def root(key: str, status: str) -> list[dict[str, Any]]:
    """A request's root message: a header, its fields and a button."""
    return [
        {"type": "header", "text": plain(f"{key} · Checkout is down")},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Status*\n{status}"},
                {"type": "mrkdwn", "text": "*Impact*\nCritical"},
            ],
        },
        {
            "type": "actions",
            "elements": [{"type": "button", "action_id": "take", "text": plain("Take it")}],
        },
    ]


def filing_modal(*, with_impact: bool = True) -> dict[str, Any]:
    subject = {
        "type": "input",
        "block_id": "subject",
        "label": plain("Subject"),
        "element": {"type": "plain_text_input", "action_id": "subject"},
    }
    impact = {
        "type": "input",
        "block_id": "impact",
        "label": plain("Business impact"),
        "element": {
            "type": "radio_buttons",
            "action_id": "impact",
            "options": [option("low", "Low"), option("critical", "Critical")],
        },
    }
    return modal(subject, impact) if with_impact else modal(subject)


def test_people_and_the_app_print_in_order_with_the_desk_time(
    timeline: Timeline, client: WebClient, clock: ManualClock
) -> None:
    timeline.scene("Friday evening")
    timeline.person("UADMIN", "types /kustomer-support")
    client.chat_postMessage(
        channel="C_SUPPORT", text="*KS-1* filed by <@UADMIN> :white_check_mark:"
    )
    client.chat_postMessage(channel="UADMIN", text="_Your request is filed._")
    clock.advance(minutes=5)
    timeline.person("UENG", "looks")

    assert timeline.lines == [
        "",
        "== Friday evening",
        "Fri 20:40  ada types /kustomer-support",
        "Fri 20:45  Kustomer Support → #support",
        "           │ KS-1 filed by @ada ✅",
        "Fri 20:45  Kustomer Support → DM to ada",
        "           │ Your request is filed.",
        "Fri 20:45  eng looks",
    ]
    out = timeline.out
    assert isinstance(out, io.StringIO)
    assert out.getvalue().splitlines() == timeline.lines


def test_nothing_of_the_app_prints_until_the_script_flushes(
    timeline: Timeline, client: WebClient
) -> None:
    client.chat_postMessage(channel="C_SUPPORT", text="hello")

    assert timeline.lines == []
    timeline.flush()
    assert timeline.lines[-1] == "           │ hello"


def test_thread_replies_and_ephemeral_notes_say_where_and_for_whom(
    timeline: Timeline, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="C_SUPPORT", text="KS-7", blocks=root("KS-7", "New"))
    ts = str(posted["ts"])
    client.chat_postMessage(channel="C_SUPPORT", thread_ts=ts, text="<@UENG> took this request.")
    client.chat_postEphemeral(channel="C_SUPPORT", user="UADMIN", thread_ts=ts, text="Just you")

    timeline.flush()

    assert "Fri 20:40  Kustomer Support → #support, thread of KS-7" in timeline.lines
    assert (
        "Fri 20:40  Kustomer Support → #support, thread of KS-7, only visible to ada"
        in timeline.lines
    )


def test_an_update_prints_only_what_changed(timeline: Timeline, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C_SUPPORT", text="KS-7", blocks=root("KS-7", "New"))
    timeline.flush()
    shown = len(timeline.lines)

    client.chat_update(
        channel="C_SUPPORT", ts=posted["ts"], text="KS-7", blocks=root("KS-7", "In progress")
    )
    client.chat_update(
        channel="C_SUPPORT", ts=posted["ts"], text="KS-7", blocks=root("KS-7", "In progress")
    )
    timeline.flush()

    assert timeline.lines[shown:] == [
        "Fri 20:40  Kustomer Support updates KS-7: Status: In progress"
    ]


def test_a_modal_prints_in_full_once_then_only_what_differs(
    timeline: Timeline, client: WebClient
) -> None:
    timeline.person("UADMIN", "types /kustomer-support")
    client.views_open(trigger_id="t1", view=filing_modal())
    timeline.person("UADMIN", "types /kustomer-support again")
    client.views_open(trigger_id="t2", view=filing_modal())
    timeline.person("UENG", "takes the email route")
    client.views_open(trigger_id="t3", view=filing_modal(with_impact=False))
    timeline.flush()

    assert timeline.lines == [
        "Fri 20:40  ada types /kustomer-support",
        "Fri 20:40  Kustomer Support → modal for ada",
        "           │ “File a request”",
        "           │ Subject",
        "           │ Business impact",
        "           │   ◦ Low",
        "           │   ◦ Critical",
        "           │ [Submit] [Cancel]",
        "Fri 20:40  ada types /kustomer-support again",
        "Fri 20:40  eng takes the email route",
        "Fri 20:40  Kustomer Support → modal for eng, “File a request” as above",
        "           │ without Business impact",
    ]


def test_calls_slack_refused_are_not_shown(
    timeline: Timeline, client: WebClient, standin: SlackStandIn
) -> None:
    standin.add_channel("C_CLOSED", "closed", is_member=False)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C_CLOSED", text="nobody sees this")

    timeline.flush()

    assert timeline.lines == []


def test_long_messages_wrap_under_110_characters(timeline: Timeline, client: WebClient) -> None:
    words = " ".join(f"word{i}" for i in range(80))
    client.chat_postMessage(channel="C_SUPPORT", text=words)
    timeline.person("UADMIN", f"says {words}")

    lines = timeline.lines
    person = next(i for i, line in enumerate(lines) if line.startswith("Fri 20:40  ada says"))
    assert person > 2 and len(lines) - person > 2  # both wrapped
    assert all(len(line) < 110 for line in lines)
    assert all(line.startswith("           │ ") for line in lines[1:person])
    shown = " ".join(line.removeprefix("           │ ") for line in lines[1:person])
    assert shown.split() == words.split()
    assert " ".join(lines[person:]).split()[4:] == words.split()


def test_a_shared_channel_is_the_customers_side_and_its_edits_are_shown_whole(
    timeline: Timeline, client: WebClient, standin: SlackStandIn
) -> None:
    standin.add_external_user("UCUST", team_id="T0ACME", name="cust")
    standin.add_channel("C_SHARED", "ext-acme", shared_with=("T0ACME",))
    asked = standin.add_message("C_SHARED", user="UCUST", text="The inbox is down")
    pinned = client.chat_postMessage(channel="C_SHARED", text="Need help? Write here.")
    client.pins_add(channel="C_SHARED", timestamp=pinned["ts"])
    prompt = client.chat_postMessage(channel="C_SHARED", thread_ts=asked, text="Pick an impact.")
    client.chat_update(channel="C_SHARED", ts=prompt["ts"], text="Filed as KS-7.\nAt High.")

    timeline.flush()

    assert timeline.lines == [
        "Fri 20:40  Kustomer Support → #ext-acme (shared, the customer's side)",
        "           │ Need help? Write here.",
        "Fri 20:40  Kustomer Support pins “Need help? Write here.” in #ext-acme (shared, the "
        "customer's side)",
        "Fri 20:40  Kustomer Support → #ext-acme (shared, the customer's side), thread of “The "
        "inbox is down”",
        "           │ Pick an impact.",
        "Fri 20:40  Kustomer Support edits its message in #ext-acme (shared, the customer's side), "
        "thread of “The",
        "             inbox is down”, now:",
        "           │ Filed as KS-7.",
        "           │ At High.",
    ]


def test_an_operators_command_is_printed_as_typed_with_its_answer(timeline: Timeline) -> None:
    command = "python -m bot accounts add --name Acme " + " ".join(
        f"--channel C0{n:07d}" for n in range(9)
    )

    timeline.shell(command, "Added Acme (enterprise).")

    lines = timeline.lines
    assert lines[-1] == "           Added Acme (enterprise)."
    assert lines[0].startswith("           $ python -m bot accounts add --name Acme --channel")
    assert all(line.endswith(" \\") for line in lines[:-2]) and len(lines) > 3
    assert all(len(line) < 110 for line in lines)
    typed = " ".join(line.removesuffix(" \\").strip() for line in lines[:-1])
    assert typed == f"$ {command}"


def test_what_a_person_writes_keeps_its_lines_under_the_stamp(timeline: Timeline) -> None:
    timeline.person("UADMIN", "writes in #ext-acme:\n“The inbox is down\nsince 9am.”")

    assert timeline.lines == [
        "Fri 20:40  ada writes in #ext-acme:",
        "             “The inbox is down",
        "             since 9am.”",
    ]
