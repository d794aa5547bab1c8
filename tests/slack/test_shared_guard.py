"""Nothing internal ever reaches a shared channel (§11): the messenger's guard, against the
stand-in, with accounts in a real database.

Only the customer's notes go to their thread; every other post to a channel an account maps,
or to the request's own customer channel, is refused before Slack is called.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import pendulum
import pytest
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.devtools import SlackStandIn
from bot.devtools.limits import check_message
from bot.domain.accounts import new_account
from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.changes import ChangeKind, ChangeNote, CustomerNote, CustomerNoteKind
from bot.domain.model import ConversationRef, Request
from bot.domain.sla import SlaPolicy
from bot.services.accounts import account_by_id, add_account, is_shared_channel
from bot.services.desk import Routing
from bot.slack.customer_thread import InternalPostRefused
from bot.slack.messenger import SlackMessenger
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.blocks import Message
from tests.conftest import new_request

TOKEN = "xoxb-test"
NOW = pendulum.datetime(2026, 11, 18, 20, 0)
SHARED = "C0ACME"
ROUTING = Routing(
    support_channel_id="C0SUPPORT",
    oncall_channel_id="C0ONCALL",
    escalation_channel_id="C0ESCALATE",
    support_group_id="S0SUPPORT",
    oncall_group_id="S0ONCALL",
)


@dataclass
class World:
    standin: SlackStandIn
    messenger: SlackMessenger
    account_id: int
    customer_ts: str

    def request(self, **overrides: object) -> Request:
        values: dict[str, object] = {
            "id": 5,
            "team_id": "T0ACME",
            "requester_id": "U0ACMEADA",
            "subject": "Inbox spins",
            "description": "The inbox spins forever.",
            "priority": "critical",
            "intake_channel": "chat",
            "created_at": NOW,
            "first_response_due_at": NOW.add(minutes=15),
            "slack_channel_id": ROUTING.oncall_channel_id,
            "thread_ts": "1763500000.000100",
            "account_id": self.account_id,
            "customer_channel_id": SHARED,
            "customer_thread_ts": self.customer_ts,
        }
        values.update(overrides)
        return new_request(**values)

    def bot_posts_in(self, channel: str) -> list[dict[str, object]]:
        return [m for m in self.standin.messages(channel) if m.get("user") == "UBOT"]


@pytest.fixture
def world(database: Database) -> Iterator[World]:
    with SlackStandIn(bot_token=TOKEN, rate_limits=False) as standin:
        for channel in ("C0SUPPORT", "C0ONCALL", "C0ESCALATE", "C0OTHER"):
            standin.add_channel(channel, channel.lower())
        standin.add_user("U0ERIN", name="erin", real_name="Erin Example")
        standin.add_external_user("U0ACMEADA", team_id="T0ACME", name="ada")
        standin.add_channel(SHARED, "ext-acme", shared_with=("T0ACME",))
        customer_ts = standin.add_message(SHARED, user="U0ACMEADA", text="Our inbox spins")
        acme = new_account(name="Acme", tier="ultimate", channels=[SHARED, "C0ACMETWO"])
        account = add_account(database, acme, now=NOW)
        hours = parse_business_hours("Sun 18:00-Fri 21:00")
        messenger = SlackMessenger(
            client=WebClient(token=TOKEN, base_url=standin.base_url, timeout=5),
            routing=ROUTING,
            clock=ManualClock(NOW),
            policy=SlaPolicy(BusinessCalendar("America/New_York", hours, ())),
            pacer=ChannelPacer(database, interval=0.0, workspace_per_minute=0),
            accounts=partial(account_by_id, database),
            shared=partial(is_shared_channel, database),
        )
        yield World(standin, messenger, account.id, customer_ts)


def test_customer_notes_go_to_the_customer_thread_and_name_the_person(world: World) -> None:
    request = world.request(assignee_id="U0ERIN")

    world.messenger.tell_customer(request, CustomerNote(CustomerNoteKind.FILED))
    world.messenger.tell_customer(request, CustomerNote(CustomerNoteKind.TAKEN, "U0ERIN"))

    filed, taken = world.bot_posts_in(SHARED)
    assert filed["thread_ts"] == taken["thread_ts"] == world.customer_ts
    assert "<!date^" in str(filed["text"]) or "<!date^" in str(filed["blocks"])
    assert "Erin from our support team is working on *KS-1005*" in str(taken["blocks"])
    for posted in (filed, taken):
        assert check_message(posted["blocks"], str(posted["text"])) == []  # type: ignore[arg-type]
        assert not re.search(r"<[@#]|<!subteam", str(posted["blocks"]))


def test_a_request_without_a_customer_thread_tells_nobody(world: World) -> None:
    request = world.request(customer_channel_id=None, customer_thread_ts=None)

    world.messenger.tell_customer(request, CustomerNote(CustomerNoteKind.RESOLVED))

    assert world.bot_posts_in(SHARED) == []


def test_an_internal_note_aimed_at_the_customer_channel_is_refused(world: World) -> None:
    # A conversation that somehow points into the shared channel (a bug, a bad row).
    leaked = world.request(slack_channel_id=SHARED, thread_ts=world.customer_ts)

    with pytest.raises(InternalPostRefused) as refused:
        world.messenger.say(leaked, ChangeNote(ChangeKind.ESCALATED_DEVELOPMENT, "U0ERIN"))
    with pytest.raises(InternalPostRefused):
        world.messenger.refresh(leaked)
    with pytest.raises(InternalPostRefused):
        world.messenger.post_in_thread(leaked, Message(text="ping <!subteam^S0ONCALL>"))
    with pytest.raises(InternalPostRefused):
        world.messenger.supersede_ping(
            leaked, ConversationRef(SHARED, world.customer_ts), answered_by=None, at=NOW
        )

    assert refused.value.permanent
    assert world.bot_posts_in(SHARED) == []
    assert world.standin.calls_to("chat.update") == []


def test_any_channel_an_account_maps_is_refused_for_top_level_posts(world: World) -> None:
    with pytest.raises(InternalPostRefused):
        world.messenger.post_to_channel("C0ACMETWO", Message(text="3 requests need attention"))

    world.messenger.post_to_channel("C0OTHER", Message(text="3 requests need attention"))
    assert len(world.bot_posts_in("C0OTHER")) == 1


def test_a_routing_channel_mapped_to_an_account_gets_no_card_and_no_escalation(
    world: World, database: Database
) -> None:
    routing = Routing(
        support_channel_id=SHARED,
        oncall_channel_id=SHARED,
        escalation_channel_id="C0ACMETWO",
        support_group_id="S0SUPPORT",
        oncall_group_id="S0ONCALL",
    )
    messenger = SlackMessenger(
        client=world.messenger.client,
        routing=routing,
        clock=world.messenger.clock,
        policy=world.messenger.policy,
        pacer=world.messenger.pacer,
        shared=partial(is_shared_channel, database),
    )
    request = world.request(customer_channel_id=None, customer_thread_ts=None)

    with pytest.raises(InternalPostRefused):
        messenger.publish(request)
    with pytest.raises(InternalPostRefused):
        messenger.escalate(request, reason="breach", actor_id=None)
    assert world.bot_posts_in(SHARED) == world.bot_posts_in("C0ACMETWO") == []


def test_the_triage_card_shows_the_account_and_links_the_customer_thread(world: World) -> None:
    request = world.request(conversation_pending=True, slack_channel_id=None, thread_ts=None)

    ref = world.messenger.publish(request)

    assert ref.channel_id == ROUTING.oncall_channel_id
    [card] = world.bot_posts_in(ROUTING.oncall_channel_id)
    blocks = str(card["blocks"])
    assert "Acme (Ultimate)" in blocks
    link = f"/archives/{SHARED}/p{world.customer_ts.replace('.', '')}"
    assert link in blocks and "the customer's thread" in blocks
    assert "<!subteam^S0ONCALL>" in blocks  # the page stays on the internal card
    assert check_message(card["blocks"], str(card["text"])) == []  # type: ignore[arg-type]
