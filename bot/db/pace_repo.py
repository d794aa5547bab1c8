"""Per-channel send slots shared by every replica through the database."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import ChannelPace


def reserve_slot(session: Session, *, channel_id: str, now: float, interval: float) -> float:
    """Reserve the channel's next send slot (real epoch seconds) and return it.

    The row lock serialises replicas: each gets a slot at least `interval` after the last.
    """
    session.exec(
        insert_ignoring_duplicates(session, ChannelPace, unique=["channel_id"]).values(
            channel_id=channel_id, next_post_at=0.0
        )
    )
    pace = session.exec(
        select(ChannelPace).where(ChannelPace.channel_id == channel_id).with_for_update()
    ).one()
    slot = max(now, pace.next_post_at)
    pace.next_post_at = slot + interval
    session.add(pace)
    return slot
