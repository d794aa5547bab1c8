"""Benchmark: the engineer's Home, `report` and an idle scheduler tick as requests pile up.

    python benchmarks/scale_bench.py [--database-url URL] [--steps 10000,100000,1100000]

PostgreSQL only: --database-url, else the scratch database `scale_bench` on
127.0.0.1:5432 (created when missing). Everything happens in a throwaway schema, dropped at
the end. The requests grow in steps (totals, one open to ten resolved: 1.1M is 100,000 open
and 1,000,000 resolved), seeded with COPY; resolved ones were filed over two years, open
ones over the last 60 days, each with two pending timers in the future; after a VACUUM, one
open request in ten is updated, as on a working day (so index-only scans meet pages that are
not all-visible). At every step:

- Home: `bot.services.home.homes` for one support engineer (what HomePublisher builds before
  views.publish), p50 and p99 over --runs builds;
- report: `bot.services.reporting.load_report` over every request (what `python -m bot
  report` runs), best and worst of 3; the same for one customer account; and at the last
  step the CLI itself in a subprocess;
- tick: `run_tick` with nothing due, p50 and p99 over five times --runs ticks;
- before: the previous implementation of the Home's team view and of the report (every
  request read and tallied in Python), once per step, as the baseline of the same run.

Ratios compare each step with the smallest one. The stored report facts are seeded with
the rows (worked out by bot.domain.report_facts, as the scheduler would have); their upkeep
is measured on its own: rows per second when a batch of them goes stale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import psycopg
from scale_seed import NOW, Seeder
from scheduler_bench import ROUTING, AckSender, NoSlack
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.db.home_repo import home_reads
from bot.db.migrate import upgrade
from bot.db.reporting_repo import requests_filed
from bot.db.scratch import scratch_schema
from bot.domain.calendar import BusinessCalendar
from bot.domain.report import build_report, since_instant
from bot.domain.sla import SlaPolicy
from bot.services.desk import Desk, Records
from bot.services.home import QUEUE_ROWS, homes, report_since
from bot.services.reporting import load_report, refresh_report_facts
from bot.services.timers import run_tick

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/scale_bench"
ENGINEER = "U_ENGINEER"


class Engineers:
    """A directory in which only ENGINEER works the desk."""

    def is_support_engineer(self, user_id: str) -> bool:
        return user_id == ENGINEER

    def is_desk_member(self, user_id: str) -> bool:
        return user_id == ENGINEER

    def is_chat_admin(self, user_id: str) -> bool:
        return False


@dataclass
class Step:
    """The figures measured at one size (milliseconds)."""

    total: int
    open: int
    resolved: int
    home: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    report: list[float] = field(default_factory=list)
    account: list[float] = field(default_factory=list)
    old_home: float = 0.0
    old_report: float = 0.0


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p(values: Sequence[float], fraction: float) -> float:
    """The `fraction` percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def old_team_view(records: Records) -> object:
    """The Home's team view as it was: the queue sorted in full, the report tallied in Python."""
    now = records.clock.now()
    calendar = records.policy.calendar
    with records.db.unit_of_work() as uow:
        queue = uow.requests.open_queue(team_id=None, limit=QUEUE_ROWS)
        counts = home_reads(uow).queue_counts()
    since = report_since(records, now=now)
    with records.db.session() as session:
        rows = requests_filed(session, start=since_instant(since, calendar))
    return queue, counts, build_report(rows, calendar=calendar, now=now, since=since)


def old_report(records: Records) -> object:
    """`report` as it was: every request read, then classified and tallied in Python."""
    with records.db.session() as session:
        rows = requests_filed(session)
    return build_report(rows, calendar=records.policy.calendar, now=records.clock.now())


def measure(step: Step, desk: Desk, runs: int) -> None:
    """Every figure of one step."""
    records = desk.records
    calendar = desk.policy.calendar
    sender = AckSender()
    homes(records, user_ids=[ENGINEER])  # warm the caches once
    step.home = timed(lambda: homes(records, user_ids=[ENGINEER]), runs)
    step.tick = timed(lambda: run_tick(desk, sender, worker_id="bench", batch_size=50), 5 * runs)
    assert sender.sent == 0, "a timer was due"
    now = desk.clock.now()
    step.report = timed(lambda: load_report(desk.db, calendar=calendar, now=now), 3)
    step.account = timed(lambda: load_report(desk.db, calendar=calendar, now=now, account_id=1), 3)
    step.old_home = timed(lambda: old_team_view(records), 1)[0]
    step.old_report = timed(lambda: old_report(records), 1)[0]


def refresh_rate(db: Database, calendar: BusinessCalendar, rows: int) -> tuple[float, float]:
    """(rows per second) working out `rows` stale facts; (ms) a refresh finding none."""
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE support_requests SET report_calendar = NULL"
                " WHERE id IN (SELECT id FROM support_requests ORDER BY id DESC LIMIT :n)"
            ),
            {"n": rows},
        )
    started = time.perf_counter()
    done = refresh_report_facts(db, calendar=calendar)
    seconds = time.perf_counter() - started
    assert done == rows, (done, rows)
    idle = statistics.median(timed(lambda: refresh_report_facts(db, calendar=calendar), 20))
    return rows / seconds, idle


def cli_report(url: str) -> float:
    """Seconds `python -m bot report --json` takes in a subprocess (Python start included)."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    for name in ("BUSINESS_TIMEZONE", "BUSINESS_HOURS", "HOLIDAYS"):
        env.pop(name, None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--json", "--at", NOW.to_iso8601_string()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"report failed: {done.stderr.strip()}")
    return seconds


def print_table(steps: Sequence[Step], runs: int) -> None:
    """One row per step, then each figure against the smallest step."""
    print(
        f"\n{'requests':>10} {'open':>8} {'resolved':>10} | {'Home p50':>8} {'Home p99':>8} | "
        f"{'report':>8} {'account':>8} | {'tick p50':>8} {'tick p99':>8} | "
        f"{'old Home':>9} {'old report':>10}"
    )
    for s in steps:
        print(
            f"{s.total:>10,} {s.open:>8,} {s.resolved:>10,} | {p(s.home, 0.5):>8.1f} "
            f"{p(s.home, 0.99):>8.1f} | {min(s.report):>8.0f} {min(s.account):>8.0f} | "
            f"{p(s.tick, 0.5):>8.2f} {p(s.tick, 0.99):>8.2f} | {s.old_home:>9.0f} "
            f"{s.old_report:>10.0f}"
        )
    print(
        f"(milliseconds; Home over {runs} builds, tick over {5 * runs} ticks, report best of 3,"
        " old ones once)"
    )
    base = steps[0]
    for s in steps[1:]:
        growth = s.total / base.total
        print(
            f"x{growth:,.0f} requests ({base.total:,} -> {s.total:,}): "
            f"Home p99 x{p(s.home, 0.99) / p(base.home, 0.99):.2f}, "
            f"report x{min(s.report) / min(base.report):.2f}, "
            f"tick p99 x{p(s.tick, 0.99) / p(base.tick, 0.99):.2f}, "
            f"old Home x{s.old_home / base.old_home:.2f}, "
            f"old report x{s.old_report / base.old_report:.2f}"
        )
    last = steps[-1]
    print(
        f"at {last.total:,}: Home p99 {p(last.home, 0.99):.0f} ms (old {last.old_home:,.0f} ms,"
        f" x{last.old_home / p(last.home, 0.99):,.0f}); report worst "
        f"{max(last.report):,.0f} ms (old {last.old_report:,.0f} ms, "
        f"x{last.old_report / min(last.report):,.0f})"
    )


def bench(url: str, totals: Sequence[int], runs: int) -> None:
    """Seed each step, measure it, print the figures."""
    upgrade(url)
    db = Database.from_url(url)
    policy = SlaPolicy(BusinessCalendar.default())
    slack = NoSlack()
    desk = Desk(db, ManualClock(NOW), policy, ROUTING, slack, Engineers())
    seeder = Seeder(db, policy)
    steps: list[Step] = []
    try:
        for total in totals:
            seconds = seeder.grow_to(total)
            print(
                f"seeded to {total:,} requests ({seeder.open:,} open, {seeder.resolved:,} "
                f"resolved, {2 * seeder.open:,} timers) in {seconds:.1f} s",
                flush=True,
            )
            touched = seeder.churn()
            print(f"  then {touched:,} open requests updated (pages no longer all-visible)")
            step = Step(total, seeder.open, seeder.resolved)
            measure(step, desk, runs)
            steps.append(step)
        print_table(steps, runs)
        rate, idle = refresh_rate(db, policy.calendar, 5_000)
        print(f"report facts upkeep: {rate:,.0f} stale rows/s; with none stale {idle:.2f} ms")
        cli = ", ".join(f"{cli_report(url):.2f}" for _ in range(3))
        print(f"python -m bot report --json (a process each, Python's start included): {cli} s")
    finally:
        db.dispose()


def ensure_database(url: str) -> None:
    """Create the database of `url` when it does not exist (needs a reachable server)."""
    parsed = make_url(url)
    name = parsed.database or ""
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="PostgreSQL URL")
    parser.add_argument("--steps", default="10000,100000,1100000", help="request totals")
    parser.add_argument("--runs", type=int, default=200, help="Home builds and ticks per step")
    args = parser.parse_args(argv)
    totals = [int(n) for n in args.steps.split(",")]
    if args.database_url == DEFAULT_URL:
        ensure_database(DEFAULT_URL)
    with scratch_schema(args.database_url, prefix="scale") as url:
        bench(url, totals, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
