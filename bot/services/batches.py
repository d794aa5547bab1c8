"""A bounded batch of owed work: read the ids in one short transaction, then settle each in
its own (each re-reads its row under a lock, so replicas never settle one twice)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.db.engine import Database
from bot.db.uow import UnitOfWork

Owed = TypeVar("Owed")


def each_owed(
    db: Database, owed: Callable[[UnitOfWork], Sequence[Owed]], settle: Callable[[Owed], None]
) -> None:
    """Settle each item `owed` lists, outside the transaction that listed them."""
    with db.unit_of_work() as uow:
        items = list(owed(uow))
    for item in items:
        settle(item)
