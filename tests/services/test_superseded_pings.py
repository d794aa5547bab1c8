"""Group pings nobody needs any more are rewritten, not left standing."""

from __future__ import annotations

from bot.services import changes
from tests.services.timer_fakes import ENGINEER
from tests.services.timer_world import TimerWorld


def test_a_later_ping_supersedes_the_earlier_group_ping(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    created = request.created_at

    assert desk_world.at(created.add(minutes=30)) == [(request.key, "first_response_reminder")]
    assert desk_world.messenger.superseded == []
    assert desk_world.at(created.add(minutes=48)) == [(request.key, "first_response_reminder")]

    [(key, ts, answered_by)] = desk_world.messenger.superseded
    assert key == request.key and answered_by is None and ts.startswith("ping.")


def test_the_first_response_settles_every_standing_group_ping(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.at(request.created_at.add(minutes=30))

    desk_world.respond(request, user=ENGINEER)

    assert [(k, by) for k, _, by in desk_world.messenger.superseded] == [(request.key, ENGINEER)]
    desk_world.respond(request, user=ENGINEER, text="Fixed the config.")
    assert len(desk_world.messenger.superseded) == 1  # each ping is settled once


def test_a_ping_to_the_assignee_is_not_a_group_ping(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    changes.take(desk_world.desk, request_id=request.id, user_id=ENGINEER)
    desk_world.at(request.created_at.add(minutes=48))

    desk_world.respond(request, user=ENGINEER)

    assert desk_world.messenger.superseded == []
