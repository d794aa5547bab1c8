"""Several workers, one database: every due notice reaches Slack exactly once, paced.

Three `python -m bot worker` processes share PostgreSQL (row locks, SKIP LOCKED, leases);
SQLite runs the same code path with one process.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.devtools.harness import CAST
from bot.devtools.standin import SlackStandIn
from bot.domain.timer_kinds import TimerKind
from tests.conftest import empty_database_url
from tests.e2e.timer_steps import gaps, notices_in
from tests.replicas.workers import (
    NOTICE_OF,
    Due,
    running,
    seed,
    wait_until_drained,
    worker_env,
    workers_that_acted,
)

KINDS = (
    TimerKind.FIRST_RESPONSE_REMINDER,
    TimerKind.FIRST_RESPONSE_BREACH,
    TimerKind.CRITICAL_UPDATE,
)
CHANNELS = (CAST.support_channel, CAST.oncall_channel, "C0TEAMTWO", "C0TEAMTHREE")
MIN_GAP = 0.99  # Slack: about one message per second per channel


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    ("backend", "workers", "timers"),
    [
        pytest.param("postgres", 3, 1000, marks=pytest.mark.postgres, id="postgres-3-workers"),
        pytest.param("sqlite", 1, 300, id="sqlite-1-worker"),
    ],
)
def test_due_notices_reach_slack_exactly_once_and_paced(
    standin: SlackStandIn, tmp_path: Path, backend: str, workers: int, timers: int
) -> None:
    with empty_database_url(backend, tmp_path) as url:
        upgrade(url)
        db = Database.from_url(url)
        try:
            plan = [
                Due(kind, channel)
                for kind, channel in zip(
                    itertools.islice(itertools.cycle(KINDS), timers),
                    itertools.cycle(CHANNELS),
                    strict=False,
                )
            ]
            requests = seed(db, standin, plan)
            env = worker_env(standin, url, scheduler_batch_size=100, channel_pace_seconds=1)
            with running(env, tmp_path, workers) as started:
                wait_until_drained(db, started, timeout=120)
            # Every worker took a share: the claims really competed.
            assert len(workers_that_acted(db)) == workers
        finally:
            db.dispose()

    posts = [call.params for call in standin.calls_to("chat.postMessage")]
    expected = Counter(
        {
            (request.key, kind): 1
            for request, item in zip(requests, plan, strict=True)
            for kind in NOTICE_OF[item.kind]
        }
    )
    seen = notices_in(posts)
    assert seen == expected, _difference(seen, expected)
    assert standin.rate_violations == 0
    for channel in (*CHANNELS, CAST.escalation_channel):
        assert min(gaps(standin.post_times(channel)), default=1.0) >= MIN_GAP, channel
    # Digests did the heavy lifting: far fewer messages than notices.
    assert len(posts) < len(expected) // 10


def _difference(seen: Counter[tuple[str, str]], expected: Counter[tuple[str, str]]) -> str:
    twice = [k for k, n in seen.items() if n > 1][:10]
    missing = [k for k in expected if k not in seen][:10]
    extra = [k for k in seen if k not in expected][:10]
    return f"repeated {twice}, missing {missing}, unexpected {extra}"
