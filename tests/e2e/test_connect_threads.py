"""Two threads per request from a shared channel (§11), end to end over HTTP.

A customer of a mapped account writes in their Slack Connect channel and picks Critical on the
prompt. The support team works from the triage card in the on-call channel (the page, the
buttons, a link to the customer's thread); the customer's thread is the conversation and gets
only short customer-facing notes. As the clock runs to breach, nothing internal appears in the
shared channel; an engineer's reply in the customer's thread is the first response.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.cli import build_parser
from bot.clock import ManualClock
from bot.devtools.connect_cast import CustomerOrg
from bot.devtools.harness import Harness
from bot.domain.model import Request
from bot.slack.ids import Action
from tests.e2e.conftest import OPEN_WEDNESDAY, WorldFactory
from tests.e2e.flows import click, current, reply, settle, stored, stored_requests
from tests.e2e.timer_steps import in_channel, in_thread, press, run_until, shown

Posted = dict[str, Any]
# What would give the desk away in a shared channel: a ping of a person or a group, a
# broadcast, the desk's timer and escalation words, a digest, an internal channel. ("A
# security breach" is one of the policy's examples of Critical: the prompt may say that.)
INTERNAL_WORDS = re.compile(
    r"breached|missed its|escalat|need attention|needs a first response|an update is due|"
    r"left, due|leadership|Development|internal",
    re.IGNORECASE,
)
CRITICAL = f"{Action.PICK_IMPACT}.critical"


@pytest.fixture
def world(make_world: WorldFactory) -> Harness:
    return make_world(channel_pace_seconds=0)


def _map_account(world: Harness, org: CustomerOrg) -> None:
    """`python -m bot accounts add …`, the operator's command, run on the app's database."""
    ids = ["--channel", org.channel, "--team", org.team_id, "--admin", org.admin]
    args = build_parser().parse_args(
        ["accounts", "add", "--name", "Acme Corp", "--tier", "ultimate", *ids]
    )
    args.prepare(args)(world.runtime.desk.db)


def _bot_posts(world: Harness, org: CustomerOrg) -> list[Posted]:
    """Everything the app ever said in the shared channel: each post, and each edit of one."""
    said = [
        call.params
        for method in ("chat.postMessage", "chat.update")
        for call in world.standin.calls_to(method)
        if call.params.get("channel") == org.channel
    ]
    stored_now = [m for m in world.standin.messages(org.channel) if m.get("user") == "UBOT"]
    return said + stored_now


def _assert_nothing_internal(world: Harness, org: CustomerOrg, *, responder: str | None) -> None:
    cast = world.cast
    internal_people = {cast.engineer, cast.engineer2, cast.oncall, cast.oncall_only}
    internal_channels = {
        cast.support_channel,
        cast.oncall_channel,
        cast.escalation_channel,
        cast.email_channel,
    }
    for posted in _bot_posts(world, org):
        text = json.dumps({"text": posted.get("text"), "blocks": posted.get("blocks")})
        assert "<!subteam^" not in text and "<!here" not in text and "<!channel" not in text
        assert not any(f"<@{person}" in text for person in internal_people), text
        assert not any(channel in text for channel in internal_channels), text
        assert INTERNAL_WORDS.search(text) is None, text
        if responder is None:
            assert "from our support team" not in text


def _customer_files_critical(world: Harness, org: CustomerOrg) -> tuple[str, Posted]:
    """The customer's message, the prompt under it, their pick of Critical; the triage card."""
    words = "Nobody can log in to the inbox since 9:00, all agents are locked out"
    ts = world.standin.add_message(org.channel, user=org.admin, text=words)
    response = world.driver.message_event(
        channel_id=org.channel, user_id=org.admin, text=words, ts=ts
    )
    assert response.status == 200, response.body
    in_customer_thread = _in_thread_of(org.channel, ts)
    world.standin.wait_for("chat.postMessage", predicate=in_customer_thread)
    settle(world)
    [prompt] = [m for m in world.standin.thread(org.channel, ts) if m.get("user") == "UBOT"]
    click(world, org.admin, CRITICAL, {**prompt, "channel": org.channel})
    world.standin.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.params.get("channel") == world.cast.oncall_channel,
    )
    world.standin.wait_for("chat.postMessage", count=2, predicate=in_customer_thread)
    settle(world)
    [card] = [
        m for m in world.standin.messages(world.cast.oncall_channel) if not m.get("thread_ts")
    ]
    return ts, {**card, "channel": world.cast.oncall_channel}


def _in_thread_of(channel: str, ts: str) -> Any:
    return lambda c: c.params.get("channel") == channel and c.params.get("thread_ts") == ts


def _customer_notes(world: Harness, org: CustomerOrg, ts: str) -> list[str]:
    """The app's replies in the customer's thread, as shown now."""
    return [
        shown(m)
        for m in world.standin.thread(org.channel, ts)
        if m.get("user") == "UBOT" and m["ts"] != ts
    ]


def _filed(world: Harness) -> Request:
    [request] = stored_requests(world)
    return request


def test_a_critical_from_a_shared_channel_breaches_without_a_word_in_the_shared_channel(
    world: Harness, clock: ManualClock
) -> None:
    org = world.add_customer_org()
    _map_account(world, org)

    customer_ts, card = _customer_files_critical(world, org)

    request = _filed(world)
    assert (request.customer_channel_id, request.customer_thread_ts) == (org.channel, customer_ts)
    assert request.requester_id == org.admin and request.is_critical
    # The triage card: on-call channel, the page, the account, the link, the buttons.
    card_text = shown(card)
    assert f"<!subteam^{world.cast.oncall_group}>" in card_text
    assert "Acme Corp (Ultimate)" in card_text
    link = f"https://standin.slack.test/archives/{org.channel}/p{customer_ts.replace('.', '')}"
    assert link in card_text and Action.TAKE in card_text
    # The customer's thread: the prompt (now saying the impact chosen) and the filed note.
    notes = _customer_notes(world, org, customer_ts)
    assert any(":white_check_mark: *Critical* impact." in note for note in notes)
    [filed] = [note for note in notes if "First response due <!date^" in note]
    assert request.key in filed and "our 24/7 team has been alerted" in filed
    _assert_nothing_internal(world, org, responder=None)

    due = OPEN_WEDNESDAY.add(minutes=15)
    posted = run_until(world, clock, OPEN_WEDNESDAY.add(minutes=7, seconds=30))
    posted += run_until(world, clock, OPEN_WEDNESDAY.add(minutes=12))
    posted += run_until(world, clock, due)
    posted += run_until(world, clock, due.add(hours=1))

    assert stored(world, request.id).breached_at is not None
    pings_and_breach = in_thread(posted, card)
    assert len(pings_and_breach) >= 3
    assert all(f"<!subteam^{world.cast.oncall_group}>" in shown(p) for p in pings_and_breach[:2])
    assert "missed its first-response target" in shown(pings_and_breach[2])
    assert in_channel(posted, world.cast.escalation_channel)
    assert "BREACHED" in shown(current(world, card))
    # The customer's thread heard nothing of the pings, the breach or the escalation.
    assert [p for p in posted if p.get("thread_ts") == customer_ts] == []
    _assert_nothing_internal(world, org, responder=None)


def test_an_engineers_reply_in_the_customer_thread_is_the_first_response(
    world: Harness, clock: ManualClock
) -> None:
    org = world.add_customer_org()
    _map_account(world, org)
    customer_ts, card = _customer_files_critical(world, org)
    request = _filed(world)
    [first_ping] = in_thread(
        run_until(world, clock, OPEN_WEDNESDAY.add(minutes=7, seconds=30)), card
    )
    assert "<!subteam^" in shown(first_ping)

    # A note on the card is internal: it answers nobody.
    reply(world, card, world.cast.oncall, "Checking the login service first.")
    settle(world)
    assert stored(world, request.id).first_responded_at is None
    press(world, world.cast.oncall, Action.TAKE, card)
    reply(
        world,
        {"channel": org.channel, "ts": customer_ts},
        world.cast.oncall,
        "We see it too and are on it.",
    )
    settle(world)

    answered = stored(world, request.id)
    assert answered.first_responded_at == OPEN_WEDNESDAY.add(minutes=7, seconds=30)
    assert answered.first_responder_id == world.cast.oncall
    later = run_until(world, clock, OPEN_WEDNESDAY.add(minutes=20))
    assert in_thread(later, card) == []  # no 80% ping, no breach
    assert stored(world, request.id).breached_at is None
    taken = [n for n in _customer_notes(world, org, customer_ts) if "from our support team" in n]
    assert len(taken) == 1 and request.key in taken[0]
    # The update the on-call channel is asked for after 30 minutes stays on the card.
    nudges = run_until(world, clock, OPEN_WEDNESDAY.add(minutes=38))
    assert "an update is due" in " ".join(shown(p) for p in in_thread(nudges, card))
    assert [p for p in later + nudges if p.get("thread_ts") == customer_ts] == []
    _assert_nothing_internal(world, org, responder=world.cast.oncall)


def test_taken_waiting_and_resolved_reach_the_customer_thread(
    world: Harness, clock: ManualClock
) -> None:
    org = world.add_customer_org()
    _map_account(world, org)
    customer_ts, card = _customer_files_critical(world, org)

    press(world, world.cast.engineer, Action.TAKE, card)
    press(world, world.cast.engineer, Action.ESCALATE_DEVELOPMENT, card)
    press(world, world.cast.engineer, Action.WAIT_ON_CUSTOMER, card)
    press(world, world.cast.engineer, Action.RESOLVE, card)

    notes = _customer_notes(world, org, customer_ts)
    key = _filed(world).key
    assert sum("from our support team is working on" in n for n in notes) == 1
    assert sum(f"*{key}* is waiting on you" in n for n in notes) == 1
    assert sum(f"*{key}* is resolved" in n for n in notes) == 1
    # The escalation to Development is said on the card only.
    card_replies = [shown(m) for m in world.standin.thread(card["channel"], card["ts"])]
    assert any("escalated this request to Development" in r for r in card_replies)
    _assert_nothing_internal(world, org, responder=world.cast.engineer)
    # The customer's organisation cannot see this workspace's App Home: only the engineer's
    # is republished as the request changes.
    settle(world)
    published = {call.params.get("user_id") for call in world.standin.calls_to("views.publish")}
    assert world.cast.engineer in published
    assert org.admin not in published
