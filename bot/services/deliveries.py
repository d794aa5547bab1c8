"""Slack delivers some things more than once; act on each delivery only the first time."""

from __future__ import annotations

from bot.services.desk import Desk


def first_delivery(desk: Desk, *, key: str, scope: str) -> bool:
    """True the first time `key` is seen, across retries, restarts and replicas."""
    with desk.db.unit_of_work() as uow:
        return uow.keys.claim(key, scope=scope, now=desk.clock.now())
