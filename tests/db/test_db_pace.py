"""Channel pace: one turn per channel at a time; the holder says when the next may post."""

from __future__ import annotations

import threading
import time

import pytest

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.pace_repo import ensure_channel, lock_channel, set_next_post
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
