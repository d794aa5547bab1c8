"""The demo's script: who does what, and when, in simulated time."""

from __future__ import annotations

from collections.abc import Callable

from pendulum import DateTime

from bot.clock import SimulatedClock, poll_until
from bot.devtools.actors import Actors
from bot.devtools.harness import CAST, Harness
from bot.devtools.timeline import Timeline
from bot.slack.ids import Action

WAIT = 15.0


class Scenes:
    """Friday evening before the weekend, then Sunday when the desk opens again."""

    def __init__(self, harness: Harness, clock: SimulatedClock, timeline: Timeline) -> None:
        self.harness = harness
        self.standin = harness.standin
        self.clock = clock
        self.timeline = timeline
        self.start = clock.now()
        self.actors = Actors(
            harness.driver,
            harness.standin,
            root_channels=(CAST.support_channel, CAST.oncall_channel),
        )

    def play(self) -> None:
        """Every scene in order."""
        low, high, critical = self.friday_filings()
        self.email_route()
        self.email_intake()
        self.engineer_answers(low)
        self.second_issue(low)
        self.critical_incident(critical)
        self.weekend(high)

    def friday_filings(self) -> tuple[dict[str, object], ...]:
        self.timeline.note("Friday evening: an admin files three requests before the desk closes")
        self.person(CAST.admin, "/kustomer-support → Low: Macros missing after the import")
        low = self.actors.file(
            CAST.admin,
            subject="Macros missing after the import",
            description="About 40 macros did not come over from the old helpdesk.",
            impact="low",
            area="knowledge_base",
            project="Spring rollout",
        )
        self.until(0.5)
        self.person(CAST.admin, "/kustomer-support → High: Inbound emails arrive late")
        high = self.actors.file(
            CAST.admin,
            subject="Inbound emails arrive late",
            description="Customer emails reach the inbox 20-30 minutes after they are sent.",
            impact="high",
            area="email",
        )
        self.until(1.0)
        self.person(CAST.admin, "/kustomer-support → Critical: Agents cannot log in")
        critical = self.actors.file(
            CAST.admin,
            subject="Agents cannot log in",
            description="Every agent gets an error page after signing in. The floor is idle.",
            impact="critical",
            area="chat",
            contact="video",
        )
        return low, high, critical

    def email_route(self) -> None:
        self.timeline.note("A customer who is not an admin is offered the email route")
        self.until(1.5)
        self.person(CAST.customer, "/kustomer-support")
        before = len(self.standin.responses())
        self.actors.command(CAST.customer)
        self._wait(lambda: len(self.standin.responses()) > before)
        self.person(CAST.customer, "clicks “File by email route”")
        view = self.actors.click_ephemeral(CAST.customer, Action.OPEN_EMAIL_FILING)
        self.actors.submit(
            CAST.customer,
            view,
            subject="CSV export fails",
            description="Exporting conversations to CSV stops at 10%.",
            area="other",
        )

    def email_intake(self) -> None:
        self.timeline.note("An email forwarded into the intake channel becomes a request")
        self.until(2.0)
        self.person("email", "Fwd: Invoices not syncing to the CRM")
        before = len(self.standin.calls_to("chat.postMessage"))
        self.actors.post(
            CAST.customer,
            CAST.email_channel,
            "Fwd: Invoices not syncing to the CRM\nSince Thursday no invoice reached the CRM.",
        )
        self.standin.wait_for("chat.postMessage", count=before + 2, timeout=WAIT)

    def engineer_answers(self, low: dict[str, object]) -> None:
        self.timeline.note("An engineer takes the Low request and answers it")
        self.until(3.0)
        self.person(CAST.engineer, "clicks “Take it” on the Low request")
        self.actors.click(CAST.engineer, dict(low), Action.TAKE)
        self._wait_for_thread(low, 1)
        self.person(CAST.engineer, "replies: Looking at the import log now.")
        self.actors.reply(CAST.engineer, dict(low), "Looking at the import log now.")

    def second_issue(self, low: dict[str, object]) -> None:
        self.timeline.note("A second issue raised inside a conversation is split off")
        self.until(4.0)
        text = "Also, another issue: the reporting dashboard shows no data since Tuesday."
        self.person(CAST.admin, f"replies in the thread: {text}")
        before = len(self.standin.ephemerals(user=CAST.admin))
        self.actors.reply(CAST.admin, dict(low), text)
        self._wait(lambda: len(self.standin.ephemerals(user=CAST.admin)) > before)
        self.person(CAST.admin, "clicks “File it separately”, keeps the text, picks Low")
        view = self.actors.click_ephemeral(CAST.admin, Action.OPEN_FILING)
        self.actors.submit(
            CAST.admin,
            view,
            subject="Reporting dashboard shows no data",
            description=text,
            impact="low",
            area="other",
        )

    def critical_incident(self, critical: dict[str, object]) -> None:
        self.timeline.note("On-call works the Critical request; the bot asks for updates")
        self.until(7.5)
        self._wait_for_thread(critical, 1)  # the ping at 50% of the 15 minutes
        self.person(CAST.oncall, "clicks “Take it” and replies in the on-call thread")
        self.actors.click(CAST.oncall, dict(critical), Action.TAKE)
        self._wait_for_thread(critical, 2)
        self.actors.reply(
            CAST.oncall, dict(critical), "On it: login failures traced to the SSO provider."
        )
        self.until(38.0)
        self._wait_for_thread(critical, 3)  # the first 30-minute update nudge
        self.person(CAST.oncall, "replies: SSO fix deployed, logins recovering.")
        self.actors.reply(CAST.oncall, dict(critical), "SSO fix deployed, logins recovering.")
        self.until(45.0)
        self.person(CAST.oncall, "clicks “Resolve”")
        self.actors.click(CAST.oncall, dict(critical), Action.RESOLVE)
        self._wait_for_thread(critical, 4)

    def weekend(self, high: dict[str, object]) -> None:
        calendar = self.harness.runtime.desk.policy.calendar
        opening = calendar.next_opening(self.clock.now().add(minutes=20))
        self.timeline.note(
            "The desk closes at 21:00 on Friday; the business clocks stand still until Sunday"
        )
        self.clock.jump_to(opening.subtract(minutes=5))
        self.timeline.note("Sunday: the desk opens; the unanswered High request runs out")
        due = opening.add(minutes=41)
        self.until_instant(due.add(minutes=2))
        self._wait(lambda: bool(self.standin.messages(CAST.escalation_channel)))
        self.until_instant(self.clock.now().add(minutes=1))
        del high

    def person(self, user_id: str, what: str) -> None:
        self.timeline.person(CAST.names.get(user_id, user_id), what)

    def until(self, minutes: float) -> None:
        """Wait until `minutes` of simulated time after the start."""
        self.until_instant(self.start.add(seconds=int(minutes * 60)))

    def until_instant(self, instant: DateTime) -> None:
        gap = (instant - self.clock.now()).total_seconds()
        if gap > 0:
            self.clock.sleep(gap)

    def _wait_for_thread(self, root: dict[str, object], replies: int) -> None:
        """Wait until the app has replied `replies` times in the request's thread."""
        channel, ts = str(root["channel"]), str(root["ts"])

        def app_replies() -> int:
            thread = self.standin.thread(channel, ts)
            return sum(1 for m in thread if m["ts"] != ts and m.get("bot_id"))

        self._wait(lambda: app_replies() >= replies)

    def _wait(self, condition: Callable[[], bool]) -> None:
        if not poll_until(condition, timeout=WAIT):
            raise TimeoutError("the demo waited too long for the app")
