"""The demo's script: who does what, and when, on the desk's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from bot.devtools.actors import Actors
from bot.devtools.demo_connect import ConnectScene, Customers
from bot.devtools.demo_outage import OutageScene
from bot.devtools.demo_stage import Stage
from bot.devtools.harness import CAST
from bot.devtools.status_feed import StatusPageStandIn
from bot.slack.ids import Action

Message = dict[str, Any]
T = TypeVar("T")


class Scenes:
    """Filings, the email routes, a conversation, an incident and a vendor outage, a customer
    organisation in a shared channel, a breach.

    From the default start, a Friday evening, Acme writes and the breach comes when the desk
    opens on Sunday.
    """

    def __init__(
        self, stage: Stage, actors: Actors, page: StatusPageStandIn, customers: Customers
    ) -> None:
        self.stage = stage
        self.timeline = stage.timeline
        self.actors = actors
        self.start = stage.now()
        self.outage = OutageScene(stage, actors, page)
        self.connect = ConnectScene(stage, actors, customers)

    def play(self) -> None:
        """Every scene in order."""
        low, critical = self.filings()
        self.email_route()
        self.email_intake()
        self.engineer_answers(low)
        self.second_issue(low)
        self.critical_incident(critical)
        self.critical_updates(critical)
        self.outage.play()
        self.weekend()
        # Acme writes around the desk's opening: the seconds the app spends pacing its posts
        # to Slack pass while the clock has to run to the breach anyway.
        self.connect.play()
        self.breach()

    def filings(self) -> tuple[Message, Message]:
        """An admin files Low, High and Critical requests; returns the Low and the Critical."""
        self.timeline.scene("ada, an admin, files three requests: Low, High and Critical")
        low = self.file(
            CAST.admin,
            impact="low",
            subject="Macros missing after the import",
            description="About 40 macros did not come over from the old helpdesk.",
            area="knowledge_base",
            project="Spring rollout",
        )
        self.at(1)
        self.file(
            CAST.admin,
            impact="high",
            subject="Inbound emails arrive late",
            description="Customer emails reach the inbox 20-30 minutes after they are sent.",
            area="email",
        )
        self.at(2)
        critical = self.file(
            CAST.admin,
            impact="critical",
            subject="Agents cannot log in",
            description="Every agent gets an error page after signing in. The floor is idle.",
            area="chat",
            contact="video",
        )
        return low, critical

    def email_route(self) -> None:
        self.timeline.scene("carl is not an admin: he is offered the email route")
        self.at(3)
        self.act(
            CAST.customer, "types /kustomer-support", lambda: self.actors.command(CAST.customer)
        )
        view = self.act(
            CAST.customer,
            "clicks “File by email route”",
            lambda: self.actors.click_ephemeral(CAST.customer, Action.OPEN_EMAIL_FILING),
        )
        self.act(
            CAST.customer,
            "submits 'CSV export fails' (the email route has no impact to pick)",
            lambda: self.actors.submit(
                CAST.customer,
                view,
                subject="CSV export fails",
                description="Exporting conversations to CSV stops at 10%.",
                area="other",
            ),
        )

    def email_intake(self) -> None:
        self.timeline.scene("An email forwarded into #support-email becomes a request")
        self.at(4)
        text = "Fwd: Invoices not syncing to the CRM\nSince Thursday no invoice reached the CRM."
        self.act(
            CAST.customer,
            "forwards an email to #support-email: “Fwd: Invoices not syncing to the CRM”",
            lambda: self.actors.post(CAST.customer, CAST.email_channel, text),
        )

    def engineer_answers(self, low: Message) -> None:
        self.timeline.scene("erin, an engineer, takes the Low request and answers it")
        self.at(5)
        self.act(
            CAST.engineer,
            f"clicks “Take it” on {key(low)}",
            lambda: self.actors.click(CAST.engineer, low, Action.TAKE),
        )
        self.at(6)
        answer = "Looking at the import log now."
        self.act(
            CAST.engineer,
            f"replies in the {key(low)} thread: {answer}",
            lambda: self.actors.reply(CAST.engineer, low, answer),
        )

    def second_issue(self, low: Message) -> None:
        self.timeline.scene("A second issue raised inside a conversation is split off")
        self.at(7)
        text = "Also, another issue: the reporting dashboard shows no data since Tuesday."
        self.act(
            CAST.admin,
            f"replies in the {key(low)} thread: {text}",
            lambda: self.actors.reply(CAST.admin, low, text),
        )
        view = self.act(
            CAST.admin,
            "clicks “File a new request”",
            lambda: self.actors.click_ephemeral(CAST.admin, Action.OPEN_FILING),
        )
        self.act(
            CAST.admin,
            "keeps her words and picks Low — 'Reporting dashboard shows no data'",
            lambda: self.actors.submit(
                CAST.admin,
                view,
                subject="Reporting dashboard shows no data",
                description=text,
                impact="low",
                area="other",
            ),
        )

    def critical_incident(self, critical: Message) -> None:
        self.timeline.scene("olga, on call, works the Critical request; the bot asks for updates")
        self.stage.run_until(
            f"remind on-call of {key(critical)}'s first response",
            lambda: self.bot_replies(critical) >= 1,
            latest=self.start.add(minutes=15),
        )
        self.act(
            CAST.oncall,
            f"clicks “Take it” on {key(critical)}",
            lambda: self.actors.click(CAST.oncall, critical, Action.TAKE),
        )
        self.stage.advance_to(self.stage.now().add(minutes=1))
        update = "On it: login failures traced to the SSO provider."
        self.act(
            CAST.oncall,
            f"replies in the {key(critical)} thread: {update}",
            lambda: self.actors.reply(CAST.oncall, critical, update),
        )

    def critical_updates(self, critical: Message) -> None:
        """Critical requests get a nudge when on-call goes quiet, until resolved."""
        replies = self.bot_replies(critical)
        self.stage.run_until(
            f"nudge on-call for an update on {key(critical)}",
            lambda: self.bot_replies(critical) > replies,
            latest=self.stage.now().add(minutes=40),
        )
        self.stage.advance_to(self.stage.now().add(minutes=1))
        fixed = "SSO fix deployed, logins recovering."
        self.act(
            CAST.oncall,
            f"replies in the {key(critical)} thread: {fixed}",
            lambda: self.actors.reply(CAST.oncall, critical, fixed),
        )
        self.stage.advance_to(self.stage.now().add(minutes=2))
        self.act(
            CAST.oncall,
            f"clicks “Resolve” on {key(critical)}",
            lambda: self.actors.click(CAST.oncall, critical, Action.RESOLVE),
        )

    def weekend(self) -> None:
        """The closed desk is skipped over, to a few minutes before it opens."""
        now, calendar = self.stage.now(), self.stage.calendar
        if not calendar.is_open(now):
            opening = calendar.next_opening(now)
            when = calendar.local(opening).format("dddd HH:mm")
            self.timeline.scene(f"The desk is closed: business clocks stand still until {when}")
            resume = opening.subtract(minutes=5)
            self.stage.skip_to(resume)
            self.timeline.note(
                f"the clock skips ahead to {calendar.local(resume).format('ddd HH:mm')}"
            )

    def breach(self) -> None:
        """Nobody answers the High request: it breaches once business time runs out."""
        due = self.stage.calendar.add(self.start.add(minutes=1), timedelta(hours=1))  # 1 h of High
        self.timeline.scene("The desk is open; nobody answers the High request, and it runs out")
        self.stage.run_until(
            "escalate the breached High request",
            lambda: bool(self.actors.standin.messages(CAST.escalation_channel)),
            latest=due.add(minutes=15),
        )
        self.stage.advance_to(self.stage.now().add(minutes=5))

    # Steps

    def file(self, user_id: str, *, impact: str, subject: str, **fields: Any) -> Message:
        """Type the command, pick the impact in the modal and submit; returns the root message."""
        view = self.act(user_id, "types /kustomer-support", lambda: self.actors.open_modal(user_id))
        return self.act(
            user_id,
            f"picks {impact.title()} — '{subject}'",
            lambda: self.actors.submit(user_id, view, impact=impact, subject=subject, **fields),
        )

    def act(self, user_id: str, what: str, action: Callable[[], T]) -> T:
        """A person does something; the app's answers are printed under it."""
        self.timeline.person(user_id, what)
        result = action()
        self.stage.settle()
        return result

    def at(self, minutes: float) -> None:
        """Let the desk's clock run to `minutes` after the start."""
        self.stage.advance_to(self.start.add(seconds=int(minutes * 60)))

    def bot_replies(self, root: Message) -> int:
        """How often the app has written in a request's thread."""
        thread = self.actors.standin.thread(root["channel"], root["ts"])
        return sum(1 for m in thread if m["ts"] != root["ts"] and m.get("bot_id"))


def key(root: Message) -> str:
    """The request's key (KS-1001), from its root message's text."""
    return str(root.get("text") or "").split(" · ")[0]
