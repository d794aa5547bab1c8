"""One page per outage, and news of its end: the use cases on a real database with fake ports.

The incidents are recorded as a poll of the status feed records them; the on-call channel
and the conversations are a fake `OutageBoard`. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from itertools import count

import pytest
from pendulum import DateTime

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.incidents import Incident, IncidentUpdate
from bot.domain.model import ConversationRef, Request
from bot.domain.outages import OutageSummary
from bot.domain.requests import AffectedArea, IntakeChannel, Priority
from bot.domain.sla import SlaPolicy
from bot.services import changes
from bot.services.desk import Desk
from bot.services.filing import RequestDraft, file_request
from bot.services.outages import MAX_ATTEMPTS, OutageReport, settle_outages, show_summary
from bot.services.ports import DeliveryFailed
from bot.services.replies import Reply, ReplyOutcome, record_reply
from bot.services.status_poll import record_incidents
from bot.services.status_queries import request_outage
from tests.services.timer_fakes import ONCALL, REQUESTER, FakeDirectory, FakeMessenger
from tests.services.timer_world import NEW_YORK, ROUTING, local

NOW = local(2026, 11, 18, 15, 0)
OTHER = "U_BEA"
_TS = count(1)


@dataclass
class FakeBoard:
    """The on-call channel's summaries and the linked conversations, as calls."""

    posts: list[tuple[str, str, int]] = field(default_factory=list)  # kind, incident, count
    shown: dict[str, OutageSummary] = field(default_factory=dict)  # ts -> summary
    notes: list[tuple[str, str]] = field(default_factory=list)  # request key, incident
    fail_next: list[DeliveryFailed] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def post_summary(self, summary: OutageSummary) -> ConversationRef:
        ts = self._record("post", summary.incident.id, len(summary.requests))
        self.shown[ts] = summary
        return ConversationRef(ROUTING.oncall_channel_id, ts)

    def edit_summary(self, summary: OutageSummary, message: ConversationRef) -> None:
        assert message.ts in self.shown, "an edit needs its summary"
        self._record("edit", summary.incident.id, len(summary.requests))
        self.shown[message.ts] = summary

    def tell_resolved(self, request: Request, incident: Incident) -> str | None:
        ts = self._record("note", incident.id, 0)
        self.notes.append((request.key, incident.id))
        return ts

    def kinds(self, kind: str) -> list[tuple[str, int]]:
        return [(incident, n) for k, incident, n in self.posts if k == kind]

    def _record(self, kind: str, incident: str, n: int) -> str:
        with self._lock:
            if self.fail_next:
                raise self.fail_next.pop(0)
            if kind != "note":
                self.posts.append((kind, incident, n))
            return f"1700000000.{next(_TS):06d}"


def email_incident(*, resolved: DateTime | None = None) -> Incident:
    updates = (IncidentUpdate("u1", "investigating", "Looking into it.", NOW.subtract(hours=1)),)
    if resolved is not None:
        updates += (IncidentUpdate("u2", "resolved", "Fixed.", resolved),)
    return Incident(
        id="inc1",
        name="Email delivery delayed",
        status="resolved" if resolved else "investigating",
        impact="major",
        created_at=NOW.subtract(hours=1),
        resolved_at=resolved,
        shortlink="https://stspg.example/inc1",
        components=("Channel - Email", "API"),
        updates=updates,
    )


class World:
    """A desk with vendor status on (an outage board), the incidents as the feed gave them."""

    def __init__(
        self, db: Database, *, vendor: bool = True, board: FakeBoard | None = None
    ) -> None:
        self.db = db
        self.clock = ManualClock(NOW)
        self.messenger = FakeMessenger(ROUTING)
        self.board = board or FakeBoard()  # replicas share Slack
        self.desk = Desk(
            db,
            self.clock,
            POLICY,
            ROUTING,
            self.messenger,
            FakeDirectory(),
            outages=self.board if vendor else None,
        )
        self._serial = 0
        self._run = uuid.uuid4().hex[:8]  # replicas on one database file under their own keys

    def feed(self, *incidents: Incident) -> None:
        record_incidents(self.db, list(incidents), now=self.clock.now())

    def file(
        self,
        priority: str = "critical",
        *,
        requester: str = REQUESTER,
        area: AffectedArea = AffectedArea.EMAIL,
        incident: str | None = "inc1",
    ) -> Request:
        self._serial += 1
        draft = RequestDraft(
            team_id="T0001",
            requester_id=requester,
            subject=f"Issue {self._serial}",
            description="Emails are not arriving.",
            priority=Priority(priority),
            intake_channel=IntakeChannel.CHAT,
            area=area,
            incident_id=incident,
        )
        key = f"t:{self._run}:{self._serial}"
        return file_request(self.desk, draft=draft, delivery_key=key).request

    def settle(self) -> OutageReport:
        return settle_outages(self.db, self.board)


POLICY = SlaPolicy(BusinessCalendar(NEW_YORK, parse_business_hours("Sun 18:00-Fri 21:00")))


@pytest.fixture
def world(database: Database) -> World:
    world = World(database)
    world.feed(email_incident())
    return world


def test_two_critical_requests_in_an_outage_page_once_and_share_one_summary(
    world: World,
) -> None:
    first = world.file()
    second = world.file(requester=OTHER, incident=None)  # filed for the email area only

    assert (first.incident_id, second.incident_id) == ("inc1", None)
    assert request_outage(world.db, first).paged is True
    assert request_outage(world.db, second).paged is False
    assert request_outage(world.db, second).incident == email_incident()
    assert world.messenger.roots == [(first.key, "C_ONCALL"), (second.key, "C_ONCALL")]
    # The first filing posted the summary; the second edited it to count two.
    assert world.board.posts == [("post", "inc1", 1), ("edit", "inc1", 2)]
    (shown,) = world.board.shown.values()
    assert [r.key for r in shown.requests] == [first.key, second.key]
    assert shown.requesters == (REQUESTER, OTHER)
    assert world.settle() == OutageReport()  # nothing left owed


def test_each_request_keeps_its_own_clocks(world: World) -> None:
    first, second = world.file(), world.file(requester=OTHER)

    assert first.first_response_due_at == second.first_response_due_at == NOW.add(minutes=15)
    with world.db.unit_of_work() as uow:
        pending = [sorted(t.kind.value for t in uow.timers.pending(r.id)) for r in (first, second)]
    assert pending[0] == pending[1] and pending[0]


def test_requests_outside_the_outage_page_as_always(world: World) -> None:
    chat = world.file(area=AffectedArea.CHAT, incident=None)
    high = world.file("high")

    assert request_outage(world.db, chat).paged is None
    assert request_outage(world.db, high).paged is None
    assert request_outage(world.db, high).incident == email_incident()  # linked, no page
    assert world.board.posts == []


def test_the_summary_is_claimed_once_and_posted_once(world: World) -> None:
    first = world.file()
    with world.db.unit_of_work() as uow:
        again = uow.outages.claim_page("inc1", first.id + 100, now=NOW)
    assert again.request_id == first.id  # the unique row kept the first
    show_summary(world.db, world.board, "inc1", OutageReport())
    assert world.board.posts == [("post", "inc1", 1)]


def test_a_failed_summary_post_is_retried_by_the_next_pass(world: World) -> None:
    world.board.fail_next.append(DeliveryFailed("slack down"))
    world.file()
    assert world.board.posts == []

    report = world.settle()

    assert report.summaries == 1
    assert world.board.posts == [("post", "inc1", 1)]


def test_resolution_tells_each_linked_open_request_once(world: World) -> None:
    first = world.file()
    second = world.file(requester=OTHER, incident=None)
    high = world.file("high")
    closed = world.file("low")
    changes.resolve(world.desk, request_id=closed.id, user_id=REQUESTER)
    unrelated = world.file("low", incident=None, area=AffectedArea.CHAT)

    world.feed(email_incident(resolved=NOW.add(minutes=30)))
    report = world.settle()

    told = sorted(world.board.notes)
    assert told == sorted((r.key, "inc1") for r in (first, second, high))
    assert unrelated.key not in dict(told)
    assert report.notes == 3
    (summary,) = world.board.shown.values()
    assert summary.incident.resolved_at == NOW.add(minutes=30)
    assert world.board.posts[-1] == ("edit", "inc1", 2)
    # Later polls, an echo of the resolution and a repeat of the pass tell nobody again.
    world.feed(email_incident(resolved=NOW.add(minutes=30)))
    assert world.settle() == OutageReport()
    assert len(world.board.notes) == 3


def test_a_request_resolved_before_its_note_is_not_told(world: World) -> None:
    request = world.file()
    world.feed(email_incident(resolved=NOW.add(minutes=30)))
    changes.resolve(world.desk, request_id=request.id, user_id=ONCALL)

    world.settle()

    assert world.board.notes == []


def test_a_note_slack_refuses_is_retried_then_given_up(world: World) -> None:
    request = world.file()
    world.feed(email_incident(resolved=NOW.add(minutes=30)))
    world.board.fail_next += [DeliveryFailed("slack down")] * 2

    assert world.settle().failed == 2  # the note, then the summary's edit
    assert world.settle() == OutageReport(summaries=1, notes=1)
    assert world.board.notes == [(request.key, "inc1")]


def test_a_note_is_given_up_after_a_few_attempts(world: World) -> None:
    world.file("high")  # linked, no page: only its note is owed
    world.feed(email_incident(resolved=NOW.add(minutes=30)))
    world.board.fail_next += [DeliveryFailed("slack down")] * (MAX_ATTEMPTS + 1)

    failures = [world.settle().failed for _ in range(MAX_ATTEMPTS + 1)]

    assert failures == [1] * MAX_ATTEMPTS + [0]
    assert world.board.notes == []


def test_without_a_status_page_filing_links_and_merges_nothing(database: Database) -> None:
    world = World(database, vendor=False)
    world.feed(email_incident())

    first, second = world.file(), world.file(requester=OTHER)

    assert (first.incident_id, second.incident_id) == (None, None)
    assert request_outage(database, second).paged is None
    assert world.board.posts == []


def test_an_unknown_incident_is_not_linked(world: World) -> None:
    forged = world.file("high", incident="no-such-incident")
    assert forged.incident_id is None


def test_two_replicas_filing_at_once_page_once_and_post_one_summary(world: World) -> None:
    replicas = [world, World(world.db, board=world.board)]
    barrier = threading.Barrier(2)
    filed: dict[str, Request] = {}

    def file(replica: World, requester: str) -> None:
        barrier.wait()
        filed[requester] = replica.file(requester=requester)

    threads = [
        threading.Thread(target=file, args=(replica, requester))
        for replica, requester in zip(replicas, (REQUESTER, OTHER), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    pages = sorted(request_outage(world.db, r).paged is True for r in filed.values())
    assert pages == [False, True]
    for replica in replicas:
        replica.settle()
    kinds = [kind for kind, _, _ in world.board.posts]
    assert kinds.count("post") == 1
    (shown,) = world.board.shown.values()
    assert len(shown.requests) == 2  # the summary ends up showing both


def test_a_request_raised_to_critical_during_the_outage_joins_it(world: World) -> None:
    first = world.file()
    raised = world.file("high", requester=OTHER)

    changes.change_priority(
        world.desk, request_id=raised.id, user_id=ONCALL, priority=Priority.CRITICAL
    )

    assert request_outage(world.db, raised).paged is False  # its new root pages nobody
    assert request_outage(world.db, first).paged is True
    assert world.board.posts == [("post", "inc1", 1), ("edit", "inc1", 2)]


def test_an_answered_member_moves_the_summarys_oldest_due(world: World) -> None:
    first = world.file()
    world.clock.advance(minutes=5)
    second = world.file(requester=OTHER)
    assert first.thread_ts is not None and first.slack_channel_id is not None

    reply = Reply(
        channel_id=first.slack_channel_id,
        thread_ts=first.thread_ts,
        ts="1700000000.000900",
        user_id=ONCALL,
        text="Looking now.",
        at=world.clock.now(),
    )
    assert record_reply(world.desk, reply=reply).outcome is ReplyOutcome.FIRST_RESPONSE

    assert world.board.posts == [("post", "inc1", 1), ("edit", "inc1", 2), ("edit", "inc1", 2)]
    (shown,) = world.board.shown.values()
    assert shown.oldest_due == second.first_response_due_at  # the first one is answered
    assert world.settle() == OutageReport()
