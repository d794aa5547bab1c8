"""Root rewrites after a tick: each once, and within one budget shared by every replica."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlmodel import select

from bot.db.engine import Database
from bot.db.models import ChannelPace
from bot.domain.model import Request
from bot.slack.refresh_queue import UPDATES, RootRefreshQueue
from tests.conftest import new_request

PER_MINUTE = 600.0  # a slot every 0.1 s: the test waits about a second in all


class Roots:
    """The messenger's refresh, as calls (two replicas share one Slack)."""

    def __init__(self) -> None:
        self.rewritten: list[int] = []
        self._lock = threading.Lock()

    def refresh(self, request: Request) -> None:
        with self._lock:
            self.rewritten.append(request.id)


def _stored(database: Database, count: int) -> list[int]:
    with database.unit_of_work() as uow:
        return [uow.requests.add(new_request()).id for _ in range(count)]


def _wait_for(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the queues did not finish"
        time.sleep(0.02)


def test_two_replicas_rewrite_each_root_once_within_one_shared_budget(database: Database) -> None:
    ids = _stored(database, 10)
    roots = Roots()
    replicas = [
        RootRefreshQueue(db=database, messenger=roots, per_minute=PER_MINUTE)  # type: ignore[arg-type]
        for _ in range(2)
    ]
    started = time.time()
    try:
        replicas[0].mark_stale(ids[:5] + ids[:2])  # marked twice: rewritten once
        replicas[1].mark_stale(ids[5:])
        _wait_for(lambda: len(roots.rewritten) == 10)
    finally:
        for replica in replicas:
            replica.stop()

    assert sorted(roots.rewritten) == sorted(ids)
    with database.session() as session:
        budget = session.exec(select(ChannelPace).where(ChannelPace.channel_id == UPDATES)).one()
    # Ten slots of 0.1 s were booked one after another on the one row both replicas share.
    assert budget.next_post_at >= started + 10 * 60.0 / PER_MINUTE - 0.01
