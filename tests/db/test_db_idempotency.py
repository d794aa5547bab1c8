"""Idempotency keys: the first claim wins, every duplicate (even concurrent) loses."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pendulum
import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.db.engine import Database
from bot.db.idempotency_repo import (
    attach_request,
    claim_key,
    forget_keys_before,
    key_request_id,
)
from bot.db.models import IdempotencyKey
from bot.db.requests_repo import add_request
from bot.domain.model import Request

T0 = pendulum.datetime(2026, 3, 2, 15, 0, tz="UTC")


def _claim(database: Database, key: str, *, hold: float = 0.0) -> bool:
    with database.session() as session:
        first = claim_key(session, key=key, scope="event", now=T0)
        time.sleep(hold)  # keep the transaction open so the others must wait on it
        return first


def test_first_claim_wins(database: Database) -> None:
    with database.session() as session:
        assert claim_key(session, key="Ev1", scope="event", now=T0)
        assert not claim_key(session, key="Ev1", scope="event", now=T0)
        assert claim_key(session, key="Ev2", scope="event", now=T0)
    assert not _claim(database, "Ev1")


def test_duplicate_key_is_rejected_by_the_table(database: Database) -> None:
    with database.session() as session:
        session.add(IdempotencyKey(key="Ev1", scope="event", created_at=T0))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(IdempotencyKey(key="Ev1", scope="event", created_at=T0))


def test_concurrent_claims_have_exactly_one_winner(database: Database) -> None:
    start = threading.Barrier(6)
    results: list[bool] = []

    def claimer() -> None:
        start.wait()
        results.append(_claim(database, "Ev-concurrent", hold=0.2))

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False] * 5 + [True]


def test_claim_waits_for_an_open_claim_and_wins_if_it_rolls_back(database: Database) -> None:
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(_claim(database, "Ev1")))
    with pytest.raises(RuntimeError, match="handler failed"), database.session() as first:
        assert claim_key(first, key="Ev1", scope="event", now=T0)
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive(), "the second claim should wait for the first transaction"
        raise RuntimeError("handler failed")  # rolls the first claim back
    waiter.join(timeout=30)
    assert results == [True]


def test_key_remembers_its_request(
    database: Database, make_request: Callable[..., Request]
) -> None:
    with database.session() as session:
        request_id = add_request(session, make_request()).id
        assert claim_key(session, key="view-1", scope="view", now=T0)
        assert claim_key(session, key="view-2", scope="view", now=T0, request_id=request_id)
        assert key_request_id(session, "view-1") is None
        attach_request(session, key="view-1", request_id=request_id)
    with database.session() as session:
        assert key_request_id(session, "view-1") == request_id
        assert key_request_id(session, "view-2") == request_id
        assert key_request_id(session, "unknown") is None


def test_forget_old_keys(database: Database) -> None:
    with database.session() as session:
        claim_key(session, key="old", scope="event", now=T0 - timedelta(days=2))
        claim_key(session, key="new", scope="event", now=T0)
        assert forget_keys_before(session, before=T0 - timedelta(days=1)) == 1
        assert claim_key(session, key="old", scope="event", now=T0)
        assert not claim_key(session, key="new", scope="event", now=T0)


def _keys(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.exec(select(IdempotencyKey.key).order_by(col(IdempotencyKey.key))))


def test_forgetting_is_bounded_and_takes_the_oldest_first(database: Database) -> None:
    cutoff = T0 - timedelta(days=1)
    # Claimed out of age order, so neither insertion order nor key order is the answer.
    ages_in_hours = {"k3": 30, "k1": 50, "k5": 26, "k2": 40, "k4": 28, "fresh": 1}
    with database.session() as session:
        for key, hours in ages_in_hours.items():
            assert claim_key(session, key=key, scope="event", now=T0 - timedelta(hours=hours))

    with database.session() as session:
        assert forget_keys_before(session, before=cutoff, limit=2) == 2
    assert _keys(database) == ["fresh", "k3", "k4", "k5"]  # the 50 h and 40 h old went first

    with database.session() as session:
        assert forget_keys_before(session, before=cutoff, limit=2) == 2
    assert _keys(database) == ["fresh", "k5"]

    with database.session() as session:
        assert forget_keys_before(session, before=cutoff, limit=2) == 1
        assert forget_keys_before(session, before=cutoff, limit=2) == 0
    assert _keys(database) == ["fresh"]  # a key younger than the cutoff is never forgotten


def test_forgetting_through_the_unit_of_work(database: Database) -> None:
    with database.unit_of_work() as uow:
        for hours in (30, 40, 50):
            assert uow.keys.claim(f"old-{hours}", scope="event", now=T0 - timedelta(hours=hours))
    with database.unit_of_work() as uow:
        assert uow.keys.forget_before(T0 - timedelta(days=1), limit=1) == 1
    assert _keys(database) == ["old-30", "old-40"]
