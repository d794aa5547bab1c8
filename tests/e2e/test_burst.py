"""An outage's burst: many Critical filings at once, under Slack's real rate limits.

The app answers every requester at once (the confirmation says the conversation is
opening when its root message still waits its turn), pages on-call straight away, posts
every root message exactly once, and paces its own posts so Slack rarely says 429.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.db.migrate import upgrade
from bot.devtools.burst import CHAT_ADMINS, customers, run_burst
from bot.devtools.harness import Harness

FILINGS = 20
WITHIN = 2.0


@pytest.fixture
def live_world(database_url: str) -> Iterator[Harness]:
    """The whole app on the real clock with its scheduler running, limits on."""
    if not database_url.startswith("sqlite"):
        upgrade(database_url)  # PostgreSQL is migrated by the operator, never by `run`
    harness = Harness(
        database_url=database_url,
        chat_admin_usergroup_id=CHAT_ADMINS,
        channel_pace_seconds=1.0,
        scheduler_tick_seconds=0.2,
    )
    harness.start_scheduler()
    try:
        yield harness
    finally:
        harness.stop()


@pytest.mark.slow
def test_a_burst_of_critical_filings_is_answered_paged_and_posted_once(
    live_world: Harness,
) -> None:
    assert live_world.standin.rate_limits_enabled
    people = customers(live_world, FILINGS)

    figures = run_burst(live_world, people=people, within=WITHIN, wait=FILINGS * 1.5 + 20)

    assert figures.confirmed == FILINGS
    assert figures.confirm_max <= 3.0, figures
    assert figures.first_page_after <= 5.0, figures
    assert (figures.roots, figures.duplicate_roots) == (FILINGS, 0), figures
    assert figures.share_429 <= 0.10, figures
