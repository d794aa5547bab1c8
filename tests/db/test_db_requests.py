"""Support requests: keys, conversations, the requester's list, the queue, project owners."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.db.repositories import (
    add_request,
    get_by_conversation,
    get_by_key,
    get_request,
    lock_request,
    open_queue,
    parse_key,
    project_assignee,
    requests_of_requester,
)

MakeRequest = Callable[..., SupportRequest]
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _add(database: Database, *requests: SupportRequest) -> list[int]:
    with database.session() as session:
        return [add_request(session, request).id or 0 for request in requests]


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
    with database.session() as session:
        request = add_request(session, make_request())
        assert request.id is not None
        assert request.key == f"KS-{1000 + request.id}"
        assert get_request(session, request.id) is request


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


def test_open_queue_breached_first_then_by_due(
    database: Database, make_request: MakeRequest
) -> None:
    due = T0 + timedelta(hours=4)
    late, soon, breached, resolution_breached, _, other_team = _add(
        database,
        make_request(first_response_due_at=due + timedelta(hours=2)),
        make_request(first_response_due_at=due),
        make_request(first_response_due_at=due + timedelta(hours=5), breached_at=due),
        make_request(first_response_due_at=due + timedelta(hours=1), resolution_breached_at=due),
        make_request(first_response_due_at=due - timedelta(hours=1), status="resolved"),
        make_request(first_response_due_at=due - timedelta(hours=1), team_id="T0002"),
    )
    with database.session() as session:
        queue = [r.id for r in open_queue(session, team_id="T0001", limit=10)]
        top = [r.id for r in open_queue(session, team_id="T0001", limit=2)]
        everyone = [r.id for r in open_queue(session, team_id=None, limit=10)]
    assert queue == [resolution_breached, breached, soon, late]
    assert top == [resolution_breached, breached]
    assert everyone == [resolution_breached, breached, other_team, soon, late]


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
        with database.session() as other:
            fresh = get_request(other, request_id)
            assert fresh is not None
            fresh.version += 1
        locked = lock_request(session, request_id)
        assert locked is stale
        assert locked.version == 2
        assert lock_request(session, request_id + 100) is None
