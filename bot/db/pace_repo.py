"""Per-channel send turns shared by every replica through the database (Slack: ~1/s)."""

from __future__ import annotations

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import ChannelPace


def ensure_channel(session: Session, *, channel_id: str) -> None:
    """Create the channel's pace row if it is missing (commit before `lock_channel`)."""
    session.exec(
        insert_ignoring_duplicates(session, ChannelPace, unique=["channel_id"]).values(
            channel_id=channel_id, next_post_at=0.0
        )
    )


def lock_channel(session: Session, *, channel_id: str) -> float:
    """Take the channel's turn (a row lock held until commit); returns when it may post.

    The answer is real epoch seconds. On PostgreSQL a second replica waits here until the
    holder commits, so posts to one channel go out one after another, never together.
    """
    statement = (
        select(ChannelPace.next_post_at)
        .where(col(ChannelPace.channel_id) == channel_id)
        .with_for_update()
    )
    return float(session.exec(statement).one())


def set_next_post(session: Session, *, channel_id: str, at: float) -> None:
    """Record when the channel may next be posted to (real epoch seconds)."""
    session.exec(
        update(ChannelPace).where(col(ChannelPace.channel_id) == channel_id).values(next_post_at=at)
    )


def reserve_slot(
    session: Session, *, channel_id: str, now: float, interval: float, burst: int = 1
) -> float:
    """Take a slot of the channel if one is free now: 0.0 when taken, else seconds to wait.

    Like Slack's own limit, a channel takes a short burst: up to `burst` posts may be booked
    ahead of the steady pace. One conditional UPDATE, so of several replicas asking at
    once each gets its own slot or none, and nobody holds a lock while their post travels.
    """
    slot = col(ChannelPace.next_post_at)
    ahead = (burst - 1) * interval
    taken = session.exec(
        update(ChannelPace)
        .where(col(ChannelPace.channel_id) == channel_id, slot <= now + ahead)
        .values(next_post_at=case((slot > now, slot), else_=now) + interval)
    )
    if taken.rowcount == 1:
        return 0.0
    statement = select(ChannelPace.next_post_at).where(col(ChannelPace.channel_id) == channel_id)
    return max(0.0, float(session.exec(statement).one()) - ahead - now)
