"""An outage's burst: 100 Critical filings within 10 s against the rate-limiting stand-in.

Runs the whole app twice in the same run, on the same machine and stand-in (Slack's rate
limits on, the workspace-wide chat.postMessage limit too): as shipped (channel pacing 1
post/s with Slack's short burst within the workspace budget, roots that find their channel
busy queued for the scheduler), and as the baseline with the app's own pacing off (every
root posted at once, leaving Slack's 429s to the client's retries).
Prints, for each: confirmation latency p50/p99/max, when on-call was first paged, roots
posted (and duplicates), when the last root was posted, and the share of chat.postMessage
calls Slack answered 429; then ours/baseline ratios.

    python benchmarks/burst_bench.py [--filings 100] [--within 10] [--database-url URL]

With --database-url (PostgreSQL), each run gets a scratch schema there, dropped afterwards.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config import Settings
from bot.db.engine import is_sqlite
from bot.db.migrate import upgrade
from bot.db.scratch import scratch_schema
from bot.devtools.burst import CHAT_ADMINS, BurstFigures, customers, run_burst
from bot.devtools.harness import Harness

WORKSPACE_BUDGET = Settings.model_fields["workspace_posts_per_minute"].default


def measure(database_url: str, *, paced: bool, filings: int, within: float) -> BurstFigures:
    upgrade(database_url)
    harness = Harness(
        database_url=database_url,
        chat_admin_usergroup_id=CHAT_ADMINS,
        channel_pace_seconds=1.0 if paced else 0.0,
        workspace_posts_per_minute=WORKSPACE_BUDGET if paced else 0,
        scheduler_tick_seconds=0.2,
    )
    harness.start_scheduler()
    try:
        people = customers(harness, filings)
        return run_burst(harness, people=people, within=within, wait=filings * 1.5 + 30)
    finally:
        harness.stop()


@contextmanager
def fresh_database(database_url: str | None) -> Iterator[str]:
    """An empty database for one run: a new SQLite file, or a scratch schema in PostgreSQL.

    Each run files the same modal submissions (view ids): in a database a run already used,
    they would all be Slack retries of filings made before, and nothing would be filed.
    """
    if database_url is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'burst.db'}"
    elif is_sqlite(database_url):
        raise SystemExit("--database-url: give a PostgreSQL URL (SQLite gets a fresh file)")
    else:
        with scratch_schema(database_url, prefix="burst") as url:
            yield url


def row(name: str, f: BurstFigures) -> str:
    return (
        f"| {name} | {f.confirmed}/{f.filings} | {f.confirm_p50:.2f} s | {f.confirm_p99:.2f} s "
        f"| {f.confirm_max:.2f} s | {f.first_page_after:.2f} s | {f.roots} ({f.duplicate_roots}) "
        f"| {f.all_roots_after:.1f} s | {f.posts_429}/{f.posts} = {f.share_429:.0%} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--within", type=float, default=10.0)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database, each run in a scratch schema (default: SQLite files)",
    )
    args = parser.parse_args()
    runs = {}
    for name, paced in (("ours", True), ("baseline", False)):
        with fresh_database(args.database_url) as url:
            runs[name] = measure(url, paced=paced, filings=args.filings, within=args.within)
    ours, base = runs["ours"], runs["baseline"]
    print(f"{args.filings} Critical filings within {args.within:g} s, Slack's limits enforced\n")
    print(
        "| app | confirmed | confirm p50 | confirm p99 | confirm max | first page "
        "| roots (dup) | last root | 429 share |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(row("ours", ours))
    print(row("baseline: no app pacing", base))
    ratio = ours.confirm_p99 / base.confirm_p99 if base.confirm_p99 else float("nan")
    print(f"\nconfirm p99 ours/baseline: {ratio:.2f}x")
    print(f"429 share ours/baseline: {ours.share_429:.1%} vs {base.share_429:.1%}")


if __name__ == "__main__":
    main()
