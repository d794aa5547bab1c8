"""Channel pace: every replica takes the next free send slot of a channel."""

from __future__ import annotations

from bot.db.engine import Database
from bot.db.pace_repo import reserve_slot


def test_slots_are_spaced_per_channel(database: Database) -> None:
    with database.session() as session:
        assert reserve_slot(session, channel_id="C1", now=100.0, interval=1.0) == 100.0
        assert reserve_slot(session, channel_id="C1", now=100.2, interval=1.0) == 101.0
        assert reserve_slot(session, channel_id="C2", now=100.2, interval=1.0) == 100.2
    with database.session() as session:
        assert reserve_slot(session, channel_id="C1", now=100.5, interval=1.0) == 102.0
        assert reserve_slot(session, channel_id="C1", now=200.0, interval=1.0) == 200.0
