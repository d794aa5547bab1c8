"""The demo's vendor outage: one incident of the outage history, played on the desk's clock.

The vendor's status page is a stand-in on loopback; the desk polls it when the script says
(the poller's own thread waits a day between polls), so the story is the same every run.
The incident's words are those of the vendor's page; its timeline runs faster here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pendulum import DateTime

from bot.devtools.actors import Actors
from bot.devtools.demo_stage import DemoStalled, Stage
from bot.devtools.harness import CAST
from bot.devtools.status_feed import StatusPageStandIn, incident_json
from bot.slack.ids import Action

BEA = "U0BEA"
PEOPLE = {BEA: "bea (customer admin)"}  # who joins the cast for this scene
POLL_SECONDS = 86_400.0  # the poller's own thread: once at start, then the script polls

INCIDENT = "k5dr7pn3xa4c"
NAME = "[DRAFTS] Internal API Errors (Prod1)"
COMPONENTS = ("Channel - Chat", "Channel - Email")
FIRST = (
    "Prod1 is seeing internal API errors and slow responses. We are working on a resolution. "
    "Please expect another update within 30 minutes."
)
DEPLOYED = (
    "An update addressing the internal API errors and latency in Prod1 is deployed; we are "
    "watching that it holds."
)
RESOLVED = (
    "The internal API errors and latency in Prod1 are resolved by the update we released, "
    "and every affected area is working again."
)
ANSWER = "The vendor is fixing internal API errors; we follow the incident and keep you posted."

Message = dict[str, Any]
T = TypeVar("T")


class OutageScene:
    """Announced, linked by two requesters (one page of on-call), updated, resolved, told."""

    def __init__(self, stage: Stage, actors: Actors, page: StatusPageStandIn) -> None:
        self.stage = stage
        self.timeline = stage.timeline
        self.actors = actors
        self.page = page

    def play(self) -> None:
        self.timeline.scene(
            "The vendor reports an outage: two Critical requests, one page of on-call"
        )
        start = self.stage.now()
        self.vendor("reports an incident", self._published(start))
        self.stage.advance_to(start.add(minutes=1))
        first = self.file(CAST.admin, "Drafts fail to save", area="chat")
        self.stage.advance_to(start.add(minutes=2))
        second = self.file(BEA, "Replies fail with an error", area="email")
        self.stage.advance_to(start.add(minutes=4))
        for root in (first, second):
            self.act(CAST.oncall, f"answers in the {key(root)} thread", self.answer(root))
        self.stage.advance_to(start.add(minutes=10))
        self.vendor("posts an update", lambda: self._update("u2", "monitoring", DEPLOYED))
        self.stage.advance_to(start.add(minutes=16))
        self.vendor("resolves the incident", lambda: self._update("u3", "resolved", RESOLVED))
        self.stage.advance_to(start.add(minutes=18))
        for user_id, root in ((CAST.admin, first), (BEA, second)):
            self.act(user_id, f"clicks “Resolve” on {key(root)}", self.resolve(user_id, root))

    # The vendor's side

    def vendor(self, what: str, change: Callable[[], None]) -> None:
        """The status page changes; the desk's next poll finds it."""
        self.timeline.note(f"the vendor's status page {what}; the desk polls it")
        change()
        poller = self.stage.harness.runtime.status_poller
        if poller is None:
            raise DemoStalled("the demo runs without its status page")
        poller.poll()
        if poller.failures:
            raise DemoStalled("the desk could not read the vendor's status page")
        self.stage.settle()

    def _published(self, start: DateTime) -> Callable[[], None]:
        at = _iso(start)
        incident = incident_json(
            INCIDENT,
            NAME,
            created_at=at,
            status="monitoring",
            impact="minor",
            components=COMPONENTS,
            updates=(("u1", "monitoring", FIRST, at),),
        )
        return lambda: self.page.publish(incident)

    def _update(self, update_id: str, status: str, body: str) -> None:
        self.page.post_update(INCIDENT, update_id, status, body, _iso(self.stage.now()))

    # The people's side

    def file(self, user_id: str, subject: str, *, area: str) -> Message:
        """Open the modal, pick Critical and the incident, submit; the new root message."""
        view = self.act(user_id, "types /kustomer-support", lambda: self.actors.open_modal(user_id))
        self.act(
            user_id,
            f"picks Critical and the vendor incident — '{subject}'",
            lambda: self.actors.submit(
                user_id,
                view,
                impact="critical",
                subject=subject,
                description=f"{subject} since a few minutes, for every agent.",
                area=area,
                incident=INCIDENT,
            ),
        )
        return self.root(subject)

    def root(self, subject: str) -> Message:
        """The root message of the request with this subject (the summary is no root)."""
        for message in self.actors.standin.messages(CAST.oncall_channel):
            if not message.get("thread_ts") and subject in str(message.get("text")):
                return {**message, "channel": CAST.oncall_channel}
        raise DemoStalled(f"no root message for '{subject}'")

    def answer(self, root: Message) -> Callable[[], str]:
        return lambda: self.actors.reply(CAST.oncall, root, ANSWER)

    def resolve(self, user_id: str, root: Message) -> Callable[[], None]:
        return lambda: self.actors.click(user_id, root, Action.RESOLVE)

    def act(self, user_id: str, what: str, action: Callable[[], T]) -> T:
        self.timeline.person(user_id, what)
        result = action()
        self.stage.settle()
        return result


def key(root: Message) -> str:
    """The request's key (KS-1007), from its root message's text."""
    return str(root.get("text") or "").split(" · ")[0]


def _iso(instant: DateTime) -> str:
    return str(instant.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss[Z]"))
