"""Support requests: stored and loaded as domain values; keys, conversations (also the
threads a conversation moved away from), the requester's list, the queue, project owners."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pendulum
import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.db.requests_repo import (
    add_request,
    get_by_conversation,
    get_by_key,
    get_request,
    lock_request,
    open_queue,
    project_assignee,
    record_thread,
    requests_of_requester,
    save_request,
    threads_of,
)
from bot.domain.model import ConversationRef, Request, parse_key
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.domain.sla_terms import SlaTerms

MakeRequest = Callable[..., Request]
T0 = pendulum.datetime(2026, 3, 2, 15, 0, tz="UTC")


def _add(database: Database, *requests: Request) -> list[int]:
    with database.session() as session:
        return [add_request(session, request).id for request in requests]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("KS-1042", 42),
        ("ks-1042", 42),
        (" Ks-1001 ", 1),
        ("KS-1000", None),
        ("KS-999", None),
        ("KS-", None),
        ("KS-10a2", None),
        ("KS1042", None),
        ("XX-1042", None),
        ("KS-1042-1", None),
        ("", None),
    ],
)
def test_parse_key(key: str, expected: int | None) -> None:
    assert parse_key(key) == expected


def test_added_request_gets_id_and_key(database: Database, make_request: MakeRequest) -> None:
    unsaved = make_request()
    assert unsaved.id == 0
    with database.session() as session:
        request = add_request(session, unsaved)
        assert request.id > 0
        assert request.key == f"KS-{1000 + request.id}"
        assert request == unsaved.but(id=request.id)
        assert get_request(session, request.id) == request
        assert get_request(session, request.id + 100) is None


def test_every_field_survives_the_round_trip(database: Database, make_request: MakeRequest) -> None:
    at = T0 + timedelta(minutes=1)
    terms = SlaTerms(
        reminder_fractions=(0.75, 0.25),
        first_response={
            priority: timedelta(minutes=10 * (n + 1)) for n, priority in enumerate(Priority)
        },
        resolution=timedelta(hours=48),
        update_interval=timedelta(minutes=20),
    )
    request = make_request(
        requester_name="Dana",
        priority=Priority.CRITICAL,
        intake_channel=IntakeChannel.EMAIL,
        area=AffectedArea.API,
        contact=ContactPreference.VIDEO,
        project="Acme",
        kind=RequestKind.TRAINING,
        status=RequestStatus.ESCALATED_TO_DEVELOPMENT,
        assignee_id="U9",
        slack_channel_id="C1",
        thread_ts="1700000000.000100",
        conversation_pending=False,
        incident_id="INC-7",
        first_responded_at=at,
        first_responder_id="U9",
        breached_at=at,
        resolution_due_at=at + timedelta(days=4),
        resolution_paused_since=at,
        resolution_paused_seconds=90,
        resolution_breached_at=at,
        escalated_to_development_at=at,
        escalated_to_leadership_at=at,
        last_engineer_reply_at=at,
        resolved_at=at,
        version=7,
        terms=terms,
    )
    [request_id] = _add(database, request)
    with database.session() as session:
        loaded = get_request(session, request_id)
    assert loaded == request.but(id=request_id)
    assert loaded.terms.first_response[Priority.CRITICAL] == terms.first_response[Priority.CRITICAL]
    assert loaded.terms.reminder_fractions == (0.25, 0.75)
    assert loaded.priority is Priority.CRITICAL
    assert loaded.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
    assert loaded.conversation == ConversationRef("C1", "1700000000.000100")


def test_a_request_stored_without_terms_gets_the_defaults(
    database: Database, make_request: MakeRequest
) -> None:
    [request_id] = _add(database, make_request())
    with database.session() as session:
        row = session.get(SupportRequest, request_id)
        assert row is not None
        row.sla_terms = None  # as a request filed before terms were snapshotted
    with database.session() as session:
        loaded = get_request(session, request_id)
    assert loaded is not None
    assert loaded.terms == SlaTerms()


def test_save_writes_the_changes_back(database: Database, make_request: MakeRequest) -> None:
    [request_id] = _add(database, make_request())
    with database.session() as session:
        request = lock_request(session, request_id)
        assert request is not None
        changed = request.but(
            status=RequestStatus.IN_PROGRESS,
            assignee_id="U7",
            first_responded_at=T0 + timedelta(minutes=3),
            version=request.version + 1,
            terms=SlaTerms(update_interval=timedelta(minutes=45)),
        )
        save_request(session, changed)
    with database.session() as session:
        assert get_request(session, request_id) == changed
        with pytest.raises(LookupError):
            save_request(session, changed.but(id=request_id + 100))


def test_get_by_key(database: Database, make_request: MakeRequest) -> None:
    [request_id] = _add(database, make_request())
    key = f"ks-{1000 + request_id}"
    with database.session() as session:
        found = get_by_key(session, key)
        assert found is not None
        assert found.id == request_id
        assert get_by_key(session, f"KS-{1000 + request_id + 1}") is None
        assert get_by_key(session, "KS-banana") is None


def test_get_by_conversation(database: Database, make_request: MakeRequest) -> None:
    [first, _] = _add(
        database,
        make_request(slack_channel_id="C1", thread_ts="1700000000.000100"),
        make_request(slack_channel_id="C1", thread_ts="1700000000.000200"),
    )
    with database.session() as session:
        found = get_by_conversation(session, "C1", "1700000000.000100")
        assert found is not None
        assert found.id == first
        assert get_by_conversation(session, "C2", "1700000000.000100") is None


def test_a_moved_conversation_is_still_found_by_its_old_thread(
    database: Database, make_request: MakeRequest
) -> None:
    old = ConversationRef("C_SUPPORT", "1700000000.000100")
    new = ConversationRef("C_ONCALL", "1700000000.000900")
    [request_id, other] = _add(
        database,
        make_request(slack_channel_id=old.channel_id, thread_ts=old.ts),
        make_request(slack_channel_id="C_SUPPORT", thread_ts="1700000000.000200"),
    )
    with database.session() as session:
        record_thread(session, request_id=request_id, ref=old, at=T0)
        request = lock_request(session, request_id)
        assert request is not None
        # Impact became Critical: the conversation moved to the on-call channel.
        save_request(session, request.but(slack_channel_id=new.channel_id, thread_ts=new.ts))
        record_thread(session, request_id=request_id, ref=new, at=T0 + timedelta(hours=1))
        record_thread(session, request_id=request_id, ref=new, at=T0 + timedelta(hours=2))
    with database.session() as session:
        by_new = get_by_conversation(session, new.channel_id, new.ts)
        by_old = get_by_conversation(session, old.channel_id, old.ts)
        assert threads_of(session, request_id) == [old, new]  # each thread once, oldest first
        assert threads_of(session, other) == []
        # A request whose thread was never recorded is still found by its columns.
        unrecorded = get_by_conversation(session, "C_SUPPORT", "1700000000.000200")
    assert by_new is not None and by_old is not None and unrecorded is not None
    assert by_new.id == by_old.id == request_id
    assert by_old.conversation == new
    assert unrecorded.id == other


def test_a_thread_belongs_to_one_request(database: Database, make_request: MakeRequest) -> None:
    ref = ConversationRef("C1", "1.1")
    [first, second] = _add(database, make_request(), make_request())
    with database.session() as session:
        record_thread(session, request_id=first, ref=ref, at=T0)
        record_thread(session, request_id=second, ref=ref, at=T0)  # ignored, not an error
        found = get_by_conversation(session, "C1", "1.1")
        assert threads_of(session, second) == []
    assert found is not None and found.id == first


def test_one_request_per_conversation(database: Database, make_request: MakeRequest) -> None:
    _add(database, make_request(slack_channel_id="C1", thread_ts="1.1"))
    with pytest.raises(IntegrityError):
        _add(database, make_request(slack_channel_id="C1", thread_ts="1.1"))
    # Requests not yet posted have no conversation: any number of them may wait.
    _add(database, make_request(), make_request())


def test_requests_of_requester_newest_first(database: Database, make_request: MakeRequest) -> None:
    old, resolved, new, _ = _add(
        database,
        make_request(created_at=T0),
        make_request(created_at=T0 + timedelta(hours=1), status="resolved"),
        make_request(created_at=T0 + timedelta(hours=2)),
        make_request(created_at=T0 + timedelta(hours=3), requester_id="U_OTHER"),
    )
    with database.session() as session:
        every = requests_of_requester(session, team_id="T0001", requester_id="U0001")
        open_ = requests_of_requester(
            session, team_id="T0001", requester_id="U0001", open_only=True, limit=10
        )
        newest = requests_of_requester(session, team_id="T0001", requester_id="U0001", limit=1)
        other_team = requests_of_requester(session, team_id="T9", requester_id="U0001")
    assert [request.id for request in every] == [new, resolved, old]
    assert [request.id for request in open_] == [new, old]
    assert [request.id for request in newest] == [new]
    assert other_team == []


def test_open_queue_unanswered_first_then_answered_by_resolution_due(
    database: Database, make_request: MakeRequest
) -> None:
    due = T0 + timedelta(hours=4)
    answered = {"first_responded_at": T0, "status": "in_progress"}
    (
        late,
        soon,
        breached,
        same_due_as_soon,
        no_resolution_due,
        resolves_late,
        resolves_soon,
        answered_after_breach,
        _resolved,
        other_team,
    ) = _add(
        database,
        make_request(first_response_due_at=due + timedelta(hours=2)),
        make_request(first_response_due_at=due),
        make_request(first_response_due_at=due + timedelta(hours=5), breached_at=due),
        make_request(first_response_due_at=due),
        make_request(**answered, first_response_due_at=T0, resolution_due_at=None),
        make_request(
            **answered,
            first_response_due_at=T0,
            resolution_due_at=T0 + timedelta(days=3),
            resolution_breached_at=T0 + timedelta(days=3),
        ),
        make_request(
            **answered, first_response_due_at=T0, resolution_due_at=T0 + timedelta(days=1)
        ),
        make_request(
            **answered,
            first_response_due_at=T0 - timedelta(hours=1),
            breached_at=T0 - timedelta(hours=1),
            resolution_due_at=T0 + timedelta(days=2),
        ),
        make_request(first_response_due_at=due - timedelta(hours=1), status="resolved"),
        make_request(first_response_due_at=due - timedelta(hours=1), team_id="T0002"),
    )
    with database.session() as session:
        queue = [r.id for r in open_queue(session, team_id="T0001", limit=20)]
        top = [r.id for r in open_queue(session, team_id="T0001", limit=2)]
        everyone = [r.id for r in open_queue(session, team_id=None, limit=20)]
    unanswered = [breached, soon, same_due_as_soon, late]
    by_resolution = [resolves_soon, answered_after_breach, resolves_late, no_resolution_due]
    assert queue == unanswered + by_resolution
    assert top == [breached, soon]
    assert everyone == [breached, other_team, soon, same_due_as_soon, late, *by_resolution]


def test_open_queue_puts_every_missing_resolution_due_last_by_id(
    database: Database, make_request: MakeRequest
) -> None:
    answered = {"first_responded_at": T0, "status": "waiting_on_customer"}
    first, second, dated = _add(
        database,
        make_request(**answered, resolution_due_at=None),
        make_request(**answered, resolution_due_at=None),
        make_request(**answered, resolution_due_at=T0 + timedelta(days=9)),
    )
    with database.session() as session:
        assert [r.id for r in open_queue(session, team_id=None, limit=5)] == [dated, first, second]


def test_project_assignee_is_the_earliest_assigned(
    database: Database, make_request: MakeRequest
) -> None:
    _add(
        database,
        make_request(created_at=T0, project="Acme Rollout"),  # nobody took it
        make_request(created_at=T0 + timedelta(hours=2), project="acme rollout", assignee_id="U2"),
        make_request(created_at=T0 + timedelta(hours=1), project="ACME ROLLOUT", assignee_id="U1"),
        make_request(created_at=T0 - timedelta(hours=1), project="Other", assignee_id="U3"),
        make_request(
            created_at=T0 - timedelta(hours=1),
            project="Acme Rollout",
            assignee_id="U4",
            team_id="T0002",
        ),
    )
    with database.session() as session:
        assert project_assignee(session, team_id="T0001", project="Acme rollout") == "U1"
        assert project_assignee(session, team_id="T0002", project=" acme ROLLOUT ") == "U4"
        assert project_assignee(session, team_id="T0001", project="Nobody's") is None
        assert project_assignee(session, team_id="T0001", project="  ") is None


def test_lock_request_rereads_the_row(database: Database, make_request: MakeRequest) -> None:
    [request_id] = _add(database, make_request())
    with database.session() as session:
        stale = get_request(session, request_id)
        assert stale is not None
        held = session.get(SupportRequest, request_id)  # the session keeps its row in memory
        with database.session() as other:
            fresh = get_request(other, request_id)
            assert fresh is not None
            save_request(other, fresh.but(version=fresh.version + 1))
        assert get_request(session, request_id) == stale  # a plain read serves the stale row
        locked = lock_request(session, request_id)
        assert locked is not None
        assert (stale.version, locked.version) == (1, 2)
        assert locked == stale.but(version=2)
        assert held is not None and held.version == 2
        assert lock_request(session, request_id + 100) is None
