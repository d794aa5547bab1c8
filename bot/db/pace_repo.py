"""Send turns shared by every replica through the database: per channel (Slack: ~1/s) and
one workspace-wide budget for posts (Slack: "several hundred messages per minute").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from bot.db.dialects import insert_ignoring_duplicates
from bot.db.models import ChannelPace

# The row of the workspace-wide budget in `channel_pace`: no Slack channel or user id has a `*`.
WORKSPACE = "*workspace*"
# How soon to look again at a row someone holds when its slot has come (their post is quick).
LOCKED_RETRY = 0.05


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
    session: Session,
    *,
    channel_id: str,
    now: float,
    interval: float,
    burst: int = 1,
    skip_locked: bool = True,
) -> float:
    """Take a slot of the channel if one is free now: 0.0 when taken, else seconds to wait.

    Like Slack's own limit, a channel takes a short burst: up to `burst` posts may be booked
    ahead of the steady pace. One conditional UPDATE, so of several replicas asking at
    once each gets its own slot or none, and nobody holds a lock while their post travels.
    With `skip_locked` it never waits for a lock: a row held by someone's turn
    (`lock_channel`, until their post is answered) is busy until just after that turn's slot.
    """
    slot = col(ChannelPace.next_post_at)
    ahead = (burst - 1) * interval
    free = (
        select(ChannelPace.channel_id)
        .where(col(ChannelPace.channel_id) == channel_id, slot <= now + ahead)
        .with_for_update(skip_locked=skip_locked)
    )
    taken = session.exec(
        update(ChannelPace)
        .where(col(ChannelPace.channel_id).in_(free.scalar_subquery()))
        .values(next_post_at=case((slot > now, slot), else_=now) + interval)
    )
    if taken.rowcount == 1:
        return 0.0
    statement = select(ChannelPace.next_post_at).where(col(ChannelPace.channel_id) == channel_id)
    booked = float(session.exec(statement).one())
    if booked <= now + ahead:  # free, yet locked: a turn is about to post, or a booking is
        return max(booked - now, 0.0) + LOCKED_RETRY
    return booked - ahead - now


@dataclass(frozen=True)
class Pace:
    """One row's steady pace: seconds between slots, and how many slots it books ahead."""

    key: str
    interval: float
    burst: int = 1
    # A row nobody holds for longer than a booking (the workspace's): wait for its lock.
    brief_locks: bool = False


def reserve_slots(session: Session, *, paces: Sequence[Pace], now: float) -> float:
    """A slot in every one of these rows or in none: 0.0 when all were taken, else the wait.

    The wait is that of the first busy row. Run it in a transaction of its own: when a row
    is busy the transaction is rolled back, so the slots already taken go back. Rows are
    taken in the order given; every caller names the channel before the workspace, so two
    posters never hold each other's row while waiting for their own.
    """
    for pace in paces:
        wait = reserve_slot(
            session,
            channel_id=pace.key,
            now=now,
            interval=pace.interval,
            burst=pace.burst,
            skip_locked=not pace.brief_locks,
        )
        if wait > 0:
            session.rollback()
            return wait
    return 0.0
