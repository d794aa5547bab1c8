"""The request event log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.db.engine import Database
from bot.db.events_repo import append_event, events_of
from bot.db.requests_repo import add_request
from bot.domain.model import Request

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_events_come_back_in_order_with_their_data(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with database.session() as session:
        request_id = add_request(session, make_request()).id
        assert request_id > 0
        later = append_event(
            session,
            request_id=request_id,
            at=T0 + timedelta(minutes=5),
            kind="assigned",
            actor_id="U9",
            data={"assignee_id": "U9", "note": "on it ✅"},
        )
        append_event(session, request_id=request_id, at=T0, kind="filed")
        assert later.id is not None

    with database.session() as session:
        events = events_of(session, request_id)
    assert [event.kind for event in events] == ["filed", "assigned"]
    assert events[0].data == {}
    assert events[0].actor_id is None
    assert events[1].data == {"assignee_id": "U9", "note": "on it ✅"}
    assert events[1].at == T0 + timedelta(minutes=5)
