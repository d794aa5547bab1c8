"""Per-channel send turns shared by every replica through the database (Slack: ~1/s)."""

from __future__ import annotations

from sqlalchemy import update
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
