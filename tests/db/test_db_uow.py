"""The unit of work: one transaction with the repositories bound to it, domain values out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pendulum

from bot.db.engine import Database
from bot.db.events_repo import events_of
from bot.db.models import TimerState
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import RequestStatus
from bot.domain.timer_kinds import DueTimer, TimerKind

T0 = pendulum.datetime(2026, 3, 2, 15, 0, tz="UTC")
LEASE = timedelta(minutes=2)
MakeRequest = Callable[..., Request]


def test_requests_through_the_unit_of_work(database: Database, make_request: MakeRequest) -> None:
    with database.unit_of_work() as uow:
        request = uow.requests.add(
            make_request(slack_channel_id="C1", thread_ts="1.1", project="Acme")
        )
        uow.requests.record_thread(request.id, ConversationRef("C1", "1.1"), T0)
    with database.unit_of_work() as uow:
        locked = uow.requests.lock(request.id)
        assert locked == request
        uow.requests.save(request.but(assignee_id="U7", status=RequestStatus.IN_PROGRESS))
    with database.unit_of_work() as uow:
        stored = uow.requests.get(request.id)
        assert stored is not None
        assert (stored.assignee_id, stored.status) == ("U7", RequestStatus.IN_PROGRESS)
        assert uow.requests.by_conversation("C1", "1.1") == stored
        assert uow.requests.threads(request.id) == [ConversationRef("C1", "1.1")]
        assert uow.requests.project_assignee(team_id="T0001", project="acme") == "U7"
        mine = uow.requests.of_requester(
            team_id="T0001", requester_id="U0001", open_only=True, limit=5
        )
        assert mine == [stored]
        assert uow.requests.open_queue(team_id="T0001", limit=5) == [stored]


def test_timers_through_the_unit_of_work_are_due_timers(
    database: Database, make_request: MakeRequest
) -> None:
    with database.unit_of_work() as uow:
        request_id = uow.requests.add(make_request()).id
        for minutes, kind in (
            (1, TimerKind.FIRST_RESPONSE_REMINDER),
            (60, TimerKind.PUBLISH_CONVERSATION),
        ):
            uow.timers.schedule(
                request_id=request_id,
                kind=kind,
                at=T0 + timedelta(minutes=minutes),
                version=1,
                now=T0,
                fraction=0.5 if kind is TimerKind.FIRST_RESPONSE_REMINDER else None,
            )
        pending = uow.timers.pending(request_id)
    assert [(t.kind, t.fraction) for t in pending] == [
        (TimerKind.FIRST_RESPONSE_REMINDER, 0.5),
        (TimerKind.PUBLISH_CONVERSATION, None),
    ]

    with database.unit_of_work() as uow:
        taken = uow.timers.take(
            request_id=request_id,
            kind=TimerKind.PUBLISH_CONVERSATION,
            worker_id="filing",
            now=T0,
            lease=LEASE,
        )
        [(owner, due)] = uow.timers.claim_due(
            now=T0 + timedelta(minutes=5), limit=10, lease=LEASE, worker_id="w1"
        )
    assert taken is not None and taken.kind is TimerKind.PUBLISH_CONVERSATION
    assert owner == request_id
    assert isinstance(due, DueTimer)
    assert due.kind is TimerKind.FIRST_RESPONSE_REMINDER
    assert isinstance(due.fire_at, pendulum.DateTime)
    assert (due.fire_at, due.request_version, due.attempts) == (T0 + timedelta(minutes=1), 1, 1)

    later = T0 + timedelta(minutes=6)
    with database.unit_of_work() as uow:
        assert uow.timers.renew([due.id, taken.id], worker_id="w1", until=later) == {due.id}
        assert uow.timers.defer([due.id], worker_id="w1", until=later) == 1
    with database.unit_of_work() as uow:
        [(_, again)] = uow.timers.claim_due(now=later, limit=10, lease=LEASE, worker_id="w2")
        assert (again.id, again.attempts) == (due.id, 1)
        assert uow.timers.release(again.id, retry_at=later, worker_id="w2", error="HTTP 429")
        [(_, retried)] = uow.timers.claim_due(now=later, limit=10, lease=LEASE, worker_id="w3")
        assert (
            uow.timers.finish([retried.id], worker_id="w3", state=TimerState.DONE, now=later) == 1
        )
        assert uow.timers.cancel(request_id=request_id, kinds=[TimerKind.PUBLISH_CONVERSATION]) == 1
        assert uow.timers.pending(request_id) == []


def test_events_and_keys_through_the_unit_of_work(
    database: Database, make_request: MakeRequest
) -> None:
    with database.unit_of_work() as uow:
        request_id = uow.requests.add(make_request()).id
        uow.events.append(request_id, "filed", at=T0, actor_id="U0001", data={"via": "chat"})
        assert uow.keys.claim("Ev1", scope="event", now=T0)
        assert not uow.keys.claim("Ev1", scope="event", now=T0)
        uow.keys.attach("Ev1", request_id)
    with database.unit_of_work() as uow:
        assert uow.keys.request_of("Ev1") == request_id
        assert uow.keys.request_of("Ev2") is None
        [event] = events_of(uow.session, request_id)
    assert (event.kind, event.actor_id, event.data, event.at) == (
        "filed",
        "U0001",
        {"via": "chat"},
        T0,
    )
