"""/metrics' open-request gauges: one grouped query counts open requests and breaches."""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from bot.db.engine import Database
from bot.db.metrics_repo import count_open
from bot.domain.model import Request
from bot.domain.requests import Priority

MakeRequest = Callable[..., Request]
BREACHED = pendulum.datetime(2026, 3, 2, 21, 0, tz="UTC")


def test_open_requests_and_breaches_are_counted_per_priority(
    database: Database, make_request: MakeRequest
) -> None:
    with database.unit_of_work() as uow:
        for fields in (
            {"priority": "high"},
            {"priority": "high", "breached_at": BREACHED},
            {
                "priority": "high",
                "status": "waiting_on_customer",
                "resolution_breached_at": BREACHED,
            },
            {"priority": "critical", "breached_at": BREACHED, "status": "in_progress"},
            {"priority": "critical", "breached_at": BREACHED, "status": "resolved"},
            {"priority": "low", "status": "resolved"},
        ):
            uow.requests.add(make_request(**fields))

    assert count_open(database) == {Priority.HIGH: (3, 2), Priority.CRITICAL: (1, 1)}


def test_an_empty_desk_has_nothing_open(database: Database) -> None:
    assert count_open(database) == {}
