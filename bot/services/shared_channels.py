"""Keeping customers' shared channels in order: lapsed prompts, the pinned help message, and
the desk's notice about shared channels no account maps.

The scheduler runs `tend_shared_channels` every tick, a bounded batch of each. The constraints
decide who acts: a prompt is closed under its row lock, a channel's help message is claimed
by its row (a lease: a failed try is taken up again after `PIN_RETRY`), and an unmapped
channel's notice by its key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from pendulum import DateTime

from bot.services.connect_ports import SharedChannels
from bot.services.desk import Desk
from bot.services.ports import DeliveryFailed

log = logging.getLogger(__name__)

BATCH = 20  # of each kind per tick: a backlog drains over several ticks, never in a burst
# Real time before a channel whose help message failed (the app not in it, Slack down) is
# tried again: often enough to pin soon after the app is invited, rarely enough to stay quiet.
PIN_RETRY = timedelta(hours=1)


@dataclass
class TendReport:
    """What one pass did."""

    closed: int = 0
    pinned: int = 0


def tend_shared_channels(desk: Desk, port: SharedChannels, *, batch: int = BATCH) -> TendReport:
    """Close lapsed prompts, then pin the help message where one is missing."""
    return TendReport(
        closed=close_lapsed_prompts(desk, port, batch=batch),
        pinned=pin_help_messages(desk, port, batch=batch),
    )


def close_lapsed_prompts(desk: Desk, port: SharedChannels, *, batch: int = BATCH) -> int:
    """Take the choices off prompts nobody answered within 24 hours; no notice is posted."""
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        lapsed = uow.shared.lapsed(now=now, limit=batch)
    # Each in its own transaction, re-read under its row lock: replicas never close one twice.
    return sum(_close(desk, port, prompt_id, now) for prompt_id in lapsed)


def _close(desk: Desk, port: SharedChannels, prompt_id: int, now: DateTime) -> bool:
    with desk.db.unit_of_work() as uow:
        prompt = uow.shared.prompt(prompt_id, lock=True)
        if prompt is None or prompt.closed_at is not None or not prompt.expired(now):
            return False  # another replica has it, or it was answered meanwhile
        if prompt.prompt_ts is not None:
            try:
                port.close_prompt(prompt)
            except DeliveryFailed as failure:
                # Closed all the same: a click on a lapsed prompt says it lapsed.
                log.warning("lapsed prompt %s kept its buttons: %s", prompt_id, failure)
        uow.shared.close(prompt_id, now=now)
    return True


def pin_help_messages(desk: Desk, port: SharedChannels, *, batch: int = BATCH) -> int:
    """Post and pin the "Need help?" message in mapped channels that have none; how many."""
    now = desk.clock.now()
    stale_before = now - desk.clock.stretch(PIN_RETRY)
    with desk.db.unit_of_work() as uow:
        channels = uow.shared.unpinned_channels(stale_before=stale_before, limit=batch)
    return sum(
        _pin(desk, port, channel, now=now, stale_before=stale_before) for channel in channels
    )


def _pin(
    desk: Desk, port: SharedChannels, channel_id: str, *, now: DateTime, stale_before: DateTime
) -> bool:
    """Claim the channel's help message, post it unless it was, pin it; never post twice."""
    with desk.db.unit_of_work() as uow:
        if not uow.shared.claim_pin(channel_id, now=now, stale_before=stale_before):
            return False
        message_ts = uow.shared.pin_message(channel_id)
    try:
        if message_ts is None:
            posted = message_ts = port.post_help(channel_id)
            desk.db.retrying(lambda uow: uow.shared.help_posted(channel_id, posted))
        port.pin(channel_id, message_ts)
    except DeliveryFailed as failure:
        log.warning("no help message pinned in %s yet (tried again later): %s", channel_id, failure)
        return False
    with desk.db.unit_of_work() as uow:
        uow.shared.help_pinned(channel_id, now=desk.clock.now())
    log.info("pinned the help message in %s", channel_id)
    return True


def notice_unmapped_channel(
    desk: Desk, port: SharedChannels, *, channel_id: str, team_id: str | None
) -> bool:
    """Tell the support channel, once, that a shared channel belongs to no account.

    The channel's key is claimed first, so of several replicas hearing the same message one
    tells; a failed post gives the claim back, and the next message there tries again.
    """
    with desk.db.unit_of_work() as uow:
        if not uow.shared.claim_unmapped_notice(channel_id, team_id, now=desk.clock.now()):
            return False
    try:
        port.notice_unmapped(channel_id, team_id)
    except DeliveryFailed as failure:
        log.warning("the desk was not told about unmapped channel %s: %s", channel_id, failure)
        with desk.db.unit_of_work() as uow:
            uow.shared.forget_unmapped_notice(channel_id)
        return False
    log.info("told the desk that shared channel %s is not mapped to an account", channel_id)
    return True
