"""Housekeeping the scheduler does between ticks, in small batches: forget old delivery keys,
and keep the SLA report's stored facts current (so a Home build finds little to work out)."""

from __future__ import annotations

from datetime import timedelta

from bot.services.desk import Desk
from bot.services.reporting import refresh_report_facts

# Slack stops retrying a delivery within minutes; a week leaves room for any replay.
KEY_RETENTION = timedelta(days=7)
KEY_BATCH = 500
REPORT_FACTS_BATCH = 2000


def forget_old_keys(
    desk: Desk, *, retention: timedelta = KEY_RETENTION, batch: int = KEY_BATCH
) -> int:
    """Delete at most `batch` idempotency keys older than `retention`; returns how many."""
    before = desk.clock.now() - retention
    with desk.db.unit_of_work() as uow:
        return uow.keys.forget_before(before, limit=batch)


def keep_report_current(desk: Desk, *, batch: int = REPORT_FACTS_BATCH) -> int:
    """Work out at most `batch` stale report facts; returns how many."""
    return refresh_report_facts(desk.db, calendar=desk.policy.calendar, limit=batch)
