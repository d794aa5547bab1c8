"""Benchmark: scheduler tick cost against the number of open requests and of due timers.

    python benchmarks/scheduler_bench.py [--open 100000] [--postgres URL] [--no-sqlite]

PostgreSQL comes from --postgres, BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway
schema is created and dropped); SQLite is a temporary file. Each open request has three
pending timers in the future. The tick is the real `run_tick` (claim, decide under the
request's lock, ledger), with a sender that acknowledges every notice at once (as one
digest would: the `send(notices, ledger)` of `bot.slack.sender.NoticeSender`), so Slack and
pacing are not measured. Prints:

- a tick with nothing due at 10% of --open and at --open open requests, and their ratio;
- one tick with 100 due, and draining 10,000 due in ticks of 500;
- the plan of the claim query (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

from pendulum import DateTime

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import pendulum
from sqlalchemy import event, insert, text, update
from sqlmodel import col

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import SupportRequest, Timer
from bot.db.scratch import scratch_schema
from bot.db.timers_repo import claim_query
from bot.domain.calendar import BusinessCalendar
from bot.domain.changes import ChangeNote, CustomerNote
from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef, Request
from bot.domain.sla import SlaPolicy
from bot.domain.timer_kinds import TimerKind
from bot.services.desk import Desk, Routing
from bot.services.sending import Delivery, Ledger
from bot.services.timers import run_tick

NOW = pendulum.datetime(2026, 11, 18, 20, 0, tz="UTC")
CHUNK = 5_000
ROUTING = Routing("C_SUPPORT", "C_ONCALL", "C_ESCALATION", "S_SUPPORT", "S_ONCALL")


class AckSender:
    """Acknowledges every notice in one go, like one digest message; counts them."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        ours = ledger.still_ours(notices)
        ledger.record([Delivery(notice) for notice in ours])
        self.sent += len(ours)


class NoSlack:
    """Messenger and directory ports that the tick never calls (every request has its root)."""

    def publish(self, request: Request, *, paced: bool = False) -> ConversationRef:
        raise NotImplementedError

    def refresh(self, request: Request) -> None: ...

    def say(self, request: Request, note: ChangeNote) -> None: ...

    def tell_customer(self, request: Request, note: CustomerNote) -> None: ...

    def conversation_opened(self, request: Request) -> None: ...

    def conversation_moved(self, request: Request, *, old: ConversationRef) -> None: ...

    def escalate(self, request: Request, *, reason: str, actor_id: str | None) -> None: ...

    def supersede_ping(
        self, request: Request, ping: ConversationRef, *, answered_by: str | None, at: DateTime
    ) -> None: ...

    def is_support_engineer(self, user_id: str) -> bool:
        return False

    def is_desk_member(self, user_id: str) -> bool:
        return False

    def is_chat_admin(self, user_id: str) -> bool:
        return False


def request_rows(first: int, count: int) -> Iterator[dict[str, object]]:
    """Critical requests filed 10 minutes before NOW: their 50% ping is 150 s ago."""
    created = NOW - timedelta(minutes=10)
    for request_id in range(first, first + count):
        yield {
            "id": request_id,
            "team_id": "T0001",
            "requester_id": "U0001",
            "requester_name": "",
            "subject": f"Bench request {request_id}",
            "description": "Benchmark load.",
            "priority": "critical",
            "intake_channel": "chat",
            "area": "chat",
            "contact": "thread",
            "kind": "problem",
            "status": "new",
            "slack_channel_id": "C_ONCALL",
            "thread_ts": f"1700000000.{request_id:06d}",
            "conversation_pending": False,
            "created_at": created,
            "updated_at": created,
            "first_response_due_at": NOW + timedelta(minutes=5),
            "resolution_paused_seconds": 0,
            "version": 1,
        }


def timer_rows(first: int, count: int) -> Iterator[dict[str, object]]:
    """Three future timers per request, spread over the next four weeks."""
    kinds = (TimerKind.FIRST_RESPONSE_REMINDER, TimerKind.FIRST_RESPONSE_BREACH)
    for request_id in range(first, first + count):
        for number, kind in enumerate((*kinds, TimerKind.RESOLUTION_BREACH)):
            spread = timedelta(hours=1 + (request_id * 7 + number * 13) % 670)
            yield {
                "request_id": request_id,
                "kind": kind.value,
                "fire_at": NOW + spread,
                "state": "pending",
                "request_version": 1,
                "fraction": 0.5 if kind is TimerKind.FIRST_RESPONSE_REMINDER else None,
                "attempts": 0,
                "created_at": NOW,
            }


def add_open_requests(db: Database, first: int, count: int) -> float:
    """Bulk-insert `count` requests and their timers (executemany in chunks); seconds taken."""
    started = time.perf_counter()
    for start in range(first, first + count, CHUNK):
        size = min(CHUNK, first + count - start)
        with db.engine.begin() as connection:
            connection.execute(insert(SupportRequest), list(request_rows(start, size)))
            connection.execute(insert(Timer), list(timer_rows(start, size)))
    with db.engine.begin() as connection:
        if db.dialect == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('support_requests', 'id'), :n)"),
                {"n": first + count},
            )
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def make_due(db: Database, count: int) -> None:
    """Bring the 50% pings of the first `count` requests to 150 s ago."""
    with db.engine.begin() as connection:
        connection.execute(
            update(Timer)
            .where(
                col(Timer.request_id) <= count,
                col(Timer.kind) == TimerKind.FIRST_RESPONSE_REMINDER.value,
                col(Timer.state) == "pending",
            )
            .values(fire_at=NOW - timedelta(seconds=150))
        )


def idle_tick_ms(desk: Desk, sender: AckSender, ticks: int = 40) -> float:
    """Median milliseconds of a tick that finds nothing due."""
    times = []
    for _ in range(ticks):
        started = time.perf_counter()
        report = run_tick(desk, sender, worker_id="bench", batch_size=50)
        times.append((time.perf_counter() - started) * 1000)
        assert report.claimed == 0
    return statistics.median(times)


def drain(desk: Desk, sender: AckSender, batch: int) -> tuple[int, int, float]:
    """Tick until nothing is due: (ticks, notices, seconds)."""
    before, ticks = sender.sent, 0
    started = time.perf_counter()
    while run_tick(desk, sender, worker_id="bench", batch_size=batch).claimed:
        ticks += 1
    return ticks, sender.sent - before, time.perf_counter() - started


def claim_plan(db: Database) -> str:
    """The plan of the claim query exactly as the scheduler sends it (SQL and parameters)."""
    sent: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        sent.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with db.session() as session:
            session.exec(claim_query(now=NOW, limit=50)).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    sql, params = next((q, p) for q, p in sent if "FROM timers" in q)
    if db.dialect == "postgresql":
        explain = f"EXPLAIN (ANALYZE, BUFFERS) {sql}"
    else:
        explain = f"EXPLAIN QUERY PLAN {sql.replace(' FOR UPDATE SKIP LOCKED', '')}"
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(explain, params).all()  # type: ignore[arg-type]
        connection.rollback()
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)


def bench(name: str, url: str, open_count: int) -> None:
    """Run every measurement on one backend and print the figures."""
    upgrade(url)
    db = Database.from_url(url)
    clock = ManualClock(NOW)
    policy = SlaPolicy(BusinessCalendar.default())
    ports = NoSlack()
    desk = Desk(
        db=db, clock=clock, policy=policy, routing=ROUTING, messenger=ports, directory=ports
    )
    sender = AckSender()
    small = open_count // 10
    print(f"\n== {name}")
    try:
        seconds = add_open_requests(db, 1, small)
        print(f"inserted {small:,} open requests + {3 * small:,} timers in {seconds:.1f} s")
        idle_small = idle_tick_ms(desk, sender)
        seconds = add_open_requests(db, small + 1, open_count - small)
        print(
            f"inserted {open_count - small:,} more (+ {3 * (open_count - small):,} timers) "
            f"in {seconds:.1f} s"
        )
        idle_large = idle_tick_ms(desk, sender)
        print(f"tick, nothing due, {small:>7,} open: {idle_small:7.2f} ms (median of 40)")
        print(f"tick, nothing due, {open_count:>7,} open: {idle_large:7.2f} ms (median of 40)")
        print(f"ratio {open_count:,} / {small:,} open: {idle_large / idle_small:.2f}")
        report_due(desk, sender, db)
        print(f"tick, nothing due, after the drains:   {idle_tick_ms(desk, sender):7.2f} ms")
        print("claim query plan:")
        print("  " + claim_plan(db).replace("\n", "\n  "))
    finally:
        db.dispose()


def report_due(desk: Desk, sender: AckSender, db: Database) -> None:
    """Times for 100 due (one tick) and 10,000 due (drained in ticks of 500)."""
    make_due(db, 100)
    ticks, notices, seconds = drain(desk, sender, batch=200)
    print(f"tick, 100 due: {seconds * 1000:.0f} ms ({ticks} tick, {notices} notices)")
    make_due(db, 10_100)
    ticks, notices, seconds = drain(desk, sender, batch=500)
    print(
        f"10,000 due: {seconds:.1f} s in {ticks} ticks of 500 "
        f"({seconds / ticks * 1000:.0f} ms/tick, {notices / seconds:,.0f} notices/s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000, help="open requests at the end")
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL (default: env)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    args = parser.parse_args(argv)
    postgres = (
        args.postgres or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    )
    if postgres:
        with scratch_schema(postgres, prefix="bench") as url:
            bench("PostgreSQL", url, args.open)
    else:
        print("PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            bench("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args.open)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
