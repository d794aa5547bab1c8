"""Forgetting old delivery keys: only those past the retention, a bounded batch at a time."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.db.models import IdempotencyKey
from bot.services.deliveries import first_delivery
from bot.services.housekeeping import KEY_RETENTION, forget_old_keys
from tests.services.timer_world import TimerWorld, local

NOW = local(2026, 11, 18, 15, 0)
DAY = timedelta(days=1)


def _keys(world: TimerWorld) -> list[str]:
    with world.desk.db.session() as session:
        return list(session.exec(select(IdempotencyKey.key).order_by(col(IdempotencyKey.key))))


def _seen(world: TimerWorld, key: str, *, age: timedelta) -> None:
    world.clock.set(NOW - age)
    assert first_delivery(world.desk, key=key, scope="event")


def test_forget_old_keys_deletes_only_keys_past_the_retention_in_batches(
    desk_world: TimerWorld,
) -> None:
    assert KEY_RETENTION == 7 * DAY
    for name, age in [("old-1", 30 * DAY), ("old-2", 9 * DAY), ("old-3", 8 * DAY)]:
        _seen(desk_world, name, age=age)
    _seen(desk_world, "edge", age=KEY_RETENTION)  # exactly as old as the retention: kept
    _seen(desk_world, "recent", age=DAY)
    desk_world.clock.set(NOW)

    # Oldest first, never more than `batch` in one call (one short transaction each).
    assert forget_old_keys(desk_world.desk, batch=2) == 2
    assert _keys(desk_world) == ["edge", "old-3", "recent"]
    assert forget_old_keys(desk_world.desk, batch=2) == 1
    assert forget_old_keys(desk_world.desk, batch=2) == 0
    assert _keys(desk_world) == ["edge", "recent"]
    # A forgotten key is a new delivery again; a kept one is still a repeat.
    assert not first_delivery(desk_world.desk, key="recent", scope="event")
    assert first_delivery(desk_world.desk, key="old-1", scope="event")


def test_a_shorter_retention_forgets_more(desk_world: TimerWorld) -> None:
    _seen(desk_world, "two-days", age=2 * DAY)
    _seen(desk_world, "an-hour", age=timedelta(hours=1))
    desk_world.clock.set(NOW)

    assert forget_old_keys(desk_world.desk, retention=DAY) == 1
    assert _keys(desk_world) == ["an-hour"]


def test_keys_of_filed_requests_are_forgotten_too(desk_world: TimerWorld) -> None:
    # A filing's key points at its request; the request stays when the key goes.
    request = desk_world.file("high", at=NOW - 10 * DAY)
    desk_world.clock.set(NOW)

    assert forget_old_keys(desk_world.desk) == 1
    assert _keys(desk_world) == []
    assert desk_world.reload(request).id == request.id
