"""The demo's Slack Connect scenes (§11): a customer organisation writes to the desk in a
channel both organisations see, and a shared channel no account maps stays silent.

The account is mapped as an operator would: the command line is shown, and the service it
calls does the work on the demo's database. Then the customers only write and click, as
Slack lets people of another organisation do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.cli.accounts import describe
from bot.devtools.actors import Actors
from bot.devtools.connect_cast import CustomerOrg, add_customer_org
from bot.devtools.demo_stage import DemoStalled, Stage
from bot.devtools.harness import CAST
from bot.devtools.standin import SlackStandIn
from bot.domain.accounts import new_account
from bot.services.accounts import add_account
from bot.slack.ids import Action

ACCOUNT, TIER = "Acme", "enterprise"
PROBLEM = "The inbox does not load since 9am\nAgents see a spinner on every conversation."
ANSWER = "We see the spinner too and are looking at the inbox service now."
COLLEAGUE = "Exports to CSV stop at 10% for our team as well."
STRAY = "Hello? Our chat widget shows no agents online."

Message = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Customers:
    """The customer organisations sharing a channel with the desk: one mapped, one not."""

    mapped: CustomerOrg
    unmapped: CustomerOrg

    @property
    def people(self) -> dict[str, str]:
        """Who of theirs plays, as the banner introduces them."""
        return {
            self.mapped.admin: f"{self.mapped.name}-admin (Acme's administrator)",
            self.mapped.member: f"{self.mapped.name}-member (Acme)",
            self.unmapped.member: f"{self.unmapped.name}-member (Initech)",
        }

    @property
    def channels(self) -> tuple[str, str]:
        return self.mapped.channel, self.unmapped.channel


def add_customers(standin: SlackStandIn) -> Customers:
    """Acme and Initech, each sharing a Slack Connect channel with the desk's workspace."""
    mapped = add_customer_org(standin, name="acme")
    unmapped = add_customer_org(
        standin,
        name="initech",
        team_id="T0INITECH",
        channel="C0INITECH",
        admin="U0INIADA",
        member="U0INIBOB",
    )
    return Customers(mapped=mapped, unmapped=unmapped)


class ConnectScene:
    """Acme mapped and its help message pinned; its admin's message filed at High and answered
    in her thread; a colleague's filed at Medium by the email route; Initech told nothing."""

    def __init__(self, stage: Stage, actors: Actors, customers: Customers) -> None:
        self.stage = stage
        self.timeline = stage.timeline
        self.actors = actors
        self.acme = customers.mapped
        self.stray = customers.unmapped

    def play(self) -> None:
        self.timeline.scene(
            "A customer organisation in a shared channel: Acme writes to the desk through "
            "Slack Connect"
        )
        self.timeline.note(
            "#ext-acme-support is shared with Acme, another organisation: what the app posts "
            "there is what Acme reads. Slack gives Acme's people no slash commands: they write "
            "and click."
        )
        start = self.stage.now()
        self.map_account()
        self.stage.advance_to(start.add(minutes=5))
        ts = self.admin_writes()
        self.stage.advance_to(start.add(minutes=6))
        card = self.admin_picks(ts)
        self.stage.advance_to(start.add(minutes=7))
        self.engineer_answers(card, ts)
        self.stage.advance_to(start.add(minutes=9))
        self.colleague_writes()
        self.stage.advance_to(start.add(minutes=10))
        self.unmapped_channel()

    def map_account(self) -> None:
        """The operator's command, done by the service it calls; the next tick pins the help."""
        acme = self.acme
        self.timeline.note(
            "an operator maps the channel to Acme's account: Enterprise plan, acme-admin "
            "recorded as its administrator"
        )
        command = (
            f"python -m bot accounts add --name {ACCOUNT} --tier {TIER} "
            f"--channel {acme.channel} --team {acme.team_id} --admin {acme.admin}"
        )
        account = new_account(
            name=ACCOUNT,
            tier=TIER,
            channels=[acme.channel],
            teams=[acme.team_id],
            admins=[acme.admin],
        )
        added = add_account(self.stage.harness.runtime.desk.db, account, now=self.stage.now())
        self.timeline.shell(command, f"Added {describe(added)}")
        self.timeline.note(
            "the app's next scheduler tick posts its help message in the channel and pins it"
        )
        self.stage.advance_to(self.stage.now().add(seconds=30))

    def admin_writes(self) -> str:
        acme = self.acme
        self.timeline.note(
            "acme-admin is Acme's recorded administrator and Acme is on Enterprise: she may pick "
            "the impact"
        )
        return self.act(
            acme.admin,
            f"writes a new message in #ext-acme-support:\n{quoted(PROBLEM)}",
            lambda: self.actors.post(acme.admin, acme.channel, PROBLEM),
        )

    def admin_picks(self, ts: str) -> Message:
        """A click on High under the message; returns the triage card the app posts."""
        acme = self.acme
        prompt = self.app_reply(acme.channel, ts)
        self.act(
            acme.admin,
            "clicks “High” under her message",
            lambda: self.actors.driver.block_action(
                user_id=acme.admin,
                action_id=f"{Action.PICK_IMPACT}.high",
                channel_id=acme.channel,
                message=prompt,
            ),
        )
        self.timeline.note(
            "the desk works from the card in #support: Acme's account, a link to Acme's thread, "
            "the buttons; pings and breaches go to the card's thread. Acme's thread gets only "
            "notes written for the customer."
        )
        return self.actors.newest_root()

    def engineer_answers(self, card: Message, ts: str) -> None:
        key = str(card.get("text") or "").split(" · ")[0]
        self.act(
            CAST.engineer,
            f"clicks “Take it” on the {key} card in #support",
            lambda: self.actors.click(CAST.engineer, card, Action.TAKE),
        )
        self.stage.advance_to(self.stage.now().add(minutes=1))
        self.timeline.note(
            f"erin answers in Acme's thread: that reply is {key}'s first response; a reply on "
            "the card would be an internal note"
        )
        thread = {"channel": self.acme.channel, "ts": ts}
        self.act(
            CAST.engineer,
            f"replies in Acme's thread: {ANSWER}",
            lambda: self.actors.reply(CAST.engineer, thread, ANSWER),
        )

    def colleague_writes(self) -> None:
        acme = self.acme
        self.timeline.note(
            "acme-member is not an administrator: nothing to pick, filed at once at Medium "
            "through the email route, and told why"
        )
        self.act(
            acme.member,
            f"writes a new message in #ext-acme-support:\n{quoted(COLLEAGUE)}",
            lambda: self.actors.post(acme.member, acme.channel, COLLEAGUE),
        )

    def unmapped_channel(self) -> None:
        stray = self.stray
        self.timeline.scene(
            "A shared channel no account maps: silence there, one notice for the desk"
        )
        self.timeline.note(
            "Initech shares #ext-initech-support with the desk, but no account maps it: the app "
            "does not know whose customer writes there"
        )
        self.act(
            stray.member,
            f"writes in #ext-initech-support:\n{quoted(STRAY)}",
            lambda: self.actors.post(stray.member, stray.channel, STRAY),
        )
        self.stage.advance_to(self.stage.now().add(minutes=1))
        self.act(
            stray.member,
            "writes again: “Anyone?”",
            lambda: self.actors.post(stray.member, stray.channel, "Anyone?"),
        )
        self.timeline.note("nothing in Initech's channel, and no second notice for the desk")

    def app_reply(self, channel: str, ts: str) -> Message:
        """The app's first answer in the thread of the message at `ts`."""
        for message in self.actors.standin.thread(channel, ts)[1:]:
            if message.get("bot_id"):
                return message
        raise DemoStalled("the app did not answer the customer's message in its thread")

    def act(self, user_id: str, what: str, action: Callable[[], T]) -> T:
        self.timeline.person(user_id, what)
        result = action()
        self.stage.settle()
        return result


def quoted(text: str) -> str:
    """A message as typed, between quotes (its lines kept)."""
    return f"“{text}”"
