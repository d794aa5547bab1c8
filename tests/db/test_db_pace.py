"""Channel pace: one turn per channel at a time; the holder says when the next may post."""

from __future__ import annotations

import threading
import time

import pytest

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.pace_repo import (
    LOCKED_RETRY,
    WORKSPACE,
    Pace,
    ensure_channel,
    lock_channel,
    reserve_slot,
    reserve_slots,
    set_next_post,
)
from tests.conftest import NO_POSTGRES, POSTGRES_URL


def test_a_new_channel_may_post_at_once_and_then_waits_its_turn(database: Database) -> None:
    with database.session() as session:
        ensure_channel(session, channel_id="C1")
        ensure_channel(session, channel_id="C1")
    with database.session() as session:
        assert lock_channel(session, channel_id="C1") == 0.0
        set_next_post(session, channel_id="C1", at=101.5)
    with database.session() as session:
        ensure_channel(session, channel_id="C2")
        assert lock_channel(session, channel_id="C1") == 101.5
        assert lock_channel(session, channel_id="C2") == 0.0


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_a_second_replica_waits_for_the_turn_to_be_given_back(postgres_url: str) -> None:
    upgrade(postgres_url)
    db = Database.from_url(postgres_url)
    try:
        with db.session() as session:
            ensure_channel(session, channel_id="C1")
        seen: list[float] = []
        holding = threading.Event()

        def other_replica() -> None:
            holding.wait(5)
            with db.session() as session:
                seen.append(lock_channel(session, channel_id="C1"))

        thread = threading.Thread(target=other_replica)
        thread.start()
        with db.session() as session:
            lock_channel(session, channel_id="C1")
            holding.set()
            time.sleep(0.3)  # the other replica is blocked on the row meanwhile
            assert seen == []
            set_next_post(session, channel_id="C1", at=42.0)
        thread.join(5)
        assert seen == [42.0]
    finally:
        db.dispose()


WORKSPACE_BUDGET = Pace(WORKSPACE, interval=0.5, burst=3, brief_locks=True)  # 120/min, 3 at once


def _post(db: Database, channel: str, *, now: float, burst: int = 3) -> float:
    """Take a slot in the channel (1/s, `burst` at once) and one in the workspace budget."""
    with db.session() as session:
        ensure_channel(session, channel_id=channel)
        ensure_channel(session, channel_id=WORKSPACE)
    with db.session() as session:
        paces = [Pace(channel, interval=1.0, burst=burst), WORKSPACE_BUDGET]
        return reserve_slots(session, paces=paces, now=now)


def _next_post(db: Database, channel: str) -> float:
    with db.session() as session:
        return lock_channel(session, channel_id=channel)


def test_the_workspace_budget_is_shared_by_every_channel(database: Database) -> None:
    # Three channels each take a slot at once (the budget's burst); a fourth waits for the
    # budget although its own channel is free, and takes it half a second later.
    assert [_post(database, f"C{n}", now=100.0) for n in range(3)] == [0.0, 0.0, 0.0]
    assert _post(database, "C3", now=100.0) == pytest.approx(0.5)
    assert _post(database, "C3", now=100.5) == 0.0
    assert _post(database, "C4", now=100.5) == pytest.approx(0.5)
    assert _next_post(database, WORKSPACE) == pytest.approx(102.0)


def test_a_post_the_budget_refuses_leaves_its_channel_slot_free(database: Database) -> None:
    for n in range(3):
        _post(database, f"C{n}", now=100.0)
    assert _post(database, "C9", now=100.0) == pytest.approx(0.5)
    assert _next_post(database, "C9") == 0.0  # nothing taken in the channel


def test_a_post_its_busy_channel_refuses_takes_no_workspace_slot(database: Database) -> None:
    assert _post(database, "C0", now=200.0, burst=1) == 0.0
    assert _post(database, "C0", now=200.0, burst=1) == pytest.approx(1.0)
    assert _next_post(database, WORKSPACE) == pytest.approx(200.5)  # one slot, not two


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_replicas_posting_at_once_to_many_channels_share_one_budget(postgres_url: str) -> None:
    upgrade(postgres_url)
    db = Database.from_url(postgres_url)
    try:
        start = threading.Barrier(8)
        waits: list[float] = []

        def replica(channel: str) -> None:
            start.wait(5)
            waits.append(_post(db, channel, now=100.0))

        threads = [threading.Thread(target=replica, args=(f"C{n}",)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert len(waits) == 8
        assert sorted(waits)[:4] == [0.0, 0.0, 0.0, pytest.approx(0.5)]
        assert waits.count(0.0) == WORKSPACE_BUDGET.burst
        assert _next_post(db, WORKSPACE) == pytest.approx(101.5)
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_a_post_someone_waits_for_never_queues_behind_a_held_turn(postgres_url: str) -> None:
    upgrade(postgres_url)
    db = Database.from_url(postgres_url)
    try:
        with db.session() as session:
            ensure_channel(session, channel_id="C1")
            set_next_post(session, channel_id="C1", at=100.5)
        answers: list[float] = []

        def filing() -> None:  # another replica: its post is someone's answer
            with db.session() as session:
                slot = reserve_slot(session, channel_id="C1", now=100.0, interval=1.0, burst=3)
                answers.append(slot)

        with db.session() as session:
            lock_channel(session, channel_id="C1")  # the scheduler's turn, its post in flight
            thread = threading.Thread(target=filing)
            thread.start()
            thread.join(5)
            # Its burst would allow it, but the turn posts first: it is told at once to look
            # again just after the turn's slot.
            assert answers == [pytest.approx(0.5 + LOCKED_RETRY)]
            set_next_post(session, channel_id="C1", at=101.5)
        with db.session() as session:
            assert reserve_slot(session, channel_id="C1", now=101.5, interval=1.0) == 0.0
    finally:
        db.dispose()
