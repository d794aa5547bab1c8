"""Three `python -m bot worker` processes follow one status page: each post is made once.

All three run a status poller against one PostgreSQL database; the lease lets one poll
and the row locks keep any overlap from posting twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.db.migrate import upgrade
from bot.devtools.harness import CAST
from bot.devtools.standin import SlackStandIn
from bot.devtools.status_feed import RECENT, StatusPageStandIn, incident_json
from tests.conftest import empty_database_url
from tests.replicas.workers import Worker, running, worker_env


def _eventually(check: Callable[[], Any], workers: list[Worker], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            logs = "\n".join(worker.output() for worker in workers)
            raise AssertionError(f"the workers did not get there in time:\n{logs}")
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.timeout(180)
def test_three_workers_announce_and_thread_each_update_once(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    page = StatusPageStandIn(
        [
            incident_json(
                "inc1",
                "Email delivery delayed",
                created_at="2026-11-18T20:00:00Z",
                updates=(("u1", "investigating", "Looking into it.", "2026-11-18T20:00:00Z"),),
            )
        ]
    ).start()

    def posts() -> list[dict[str, Any]]:
        return standin.messages(CAST.support_channel)

    def polls_after(count: int) -> Callable[[], bool]:
        seen = len(page.hits(RECENT))
        return lambda: len(page.hits(RECENT)) >= seen + count

    try:
        with empty_database_url("postgres", tmp_path) as url:
            upgrade(url)
            env = worker_env(standin, url, status_page_url=page.url, status_poll_seconds=1)
            with running(env, tmp_path, 3) as workers:
                _eventually(lambda: len(posts()) >= 1, workers)
                page.post_update("inc1", "u2", "identified", "Found it.", "2026-11-18T20:20:00Z")
                _eventually(lambda: len(posts()) >= 2, workers)
                page.post_update("inc1", "u3", "resolved", "All clear.", "2026-11-18T22:38:00Z")
                _eventually(lambda: len(posts()) >= 3, workers)
                _eventually(polls_after(4), workers)
    finally:
        page.stop()

    announcement, *replies = posts()
    assert len(replies) == 2
    assert all(reply["thread_ts"] == announcement["ts"] for reply in replies)
    assert "Resolved: Email delivery delayed" in str(announcement["blocks"])
    assert "2h 38m" in str(announcement["blocks"])
    assert len(standin.calls_to("chat.update")) == 2
