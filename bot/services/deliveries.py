"""Slack delivers some things more than once; act on each delivery only the first time."""

from __future__ import annotations

from bot.db.repositories import claim_key
from bot.services.desk import Desk


def first_delivery(desk: Desk, *, key: str, scope: str) -> bool:
    """True the first time `key` is seen, across retries, restarts and replicas."""
    with desk.db.session() as session:
        return claim_key(session, key=key, scope=scope, now=desk.clock.now())
