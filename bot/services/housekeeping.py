"""Housekeeping the scheduler does between ticks: forget old delivery keys, in small batches."""

from __future__ import annotations

from datetime import timedelta

from bot.services.desk import Desk

# Slack stops retrying a delivery within minutes; a week leaves room for any replay.
KEY_RETENTION = timedelta(days=7)
KEY_BATCH = 500


def forget_old_keys(
    desk: Desk, *, retention: timedelta = KEY_RETENTION, batch: int = KEY_BATCH
) -> int:
    """Delete at most `batch` idempotency keys older than `retention`; returns how many."""
    before = desk.clock.now() - retention
    with desk.db.unit_of_work() as uow:
        return uow.keys.forget_before(before, limit=batch)
