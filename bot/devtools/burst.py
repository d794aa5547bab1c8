"""An outage's burst of Critical filings against the app and the rate-limiting stand-in.

Shared by the end-to-end test (a small burst) and `benchmarks/burst_bench.py` (100 in 10 s):
many customer admins submit the filing modal at once; the figures say how fast each was
confirmed, when on-call was first paged, whether every root message was posted exactly
once, and how many of the app's posts Slack answered 429.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bot.devtools import actors
from bot.devtools.harness import CAST, Harness
from bot.devtools.standin_state import RecordedCall

CHAT_ADMINS = "S0CHATADMIN"
_KEY = re.compile(r"KS-\d+")


@dataclass(frozen=True)
class BurstFigures:
    """What one burst measured (seconds are real seconds)."""

    filings: int
    confirmed: int
    confirm_p50: float
    confirm_p99: float
    confirm_max: float
    first_page_after: float
    roots: int
    duplicate_roots: int
    all_roots_after: float
    posts: int
    posts_429: int

    @property
    def share_429(self) -> float:
        return self.posts_429 / self.posts if self.posts else 0.0


def customers(harness: Harness, count: int) -> list[str]:
    """`count` customer admins (members of the chat-admin group, as a desk would record)."""
    people = [f"U0BURST{n:03d}" for n in range(count)]
    for n, user_id in enumerate(people):
        harness.standin.add_user(user_id, name=f"customer{n}")
    harness.standin.add_usergroup(CHAT_ADMINS, "chat-admins", people)
    return people


def run_burst(harness: Harness, *, people: list[str], within: float, wait: float) -> BurstFigures:
    """Submit one Critical filing per person, spread over `within` seconds, and measure.

    Times come from the stand-in's own call log (when Slack received each post), so the
    measuring does not load the machine while the app works.
    """
    view = _modal(harness)
    submitted: dict[str, float] = {}
    gap = within / max(1, len(people))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for n, user_id in enumerate(people):
            time.sleep(max(0.0, started + n * gap - time.monotonic()))
            submitted[user_id] = time.monotonic()
            pool.submit(_submit, harness, user_id, view, n)
    _wait_until_settled(harness, len(people), timeout=wait)
    posts = [c for c in harness.standin.calls_to("chat.postMessage") if c.status == 200]
    confirmed = _first_post_to(posts, submitted, lambda c: "is filed" in str(c.params))
    roots = [
        c for c in posts if c.params.get("channel") == CAST.oncall_channel and _is_root(c.params)
    ]
    latencies = sorted(confirmed[u] - submitted[u] for u in confirmed)
    found = [k.group(0) for c in roots if (k := _KEY.search(str(c.params.get("text"))))]
    return BurstFigures(
        filings=len(people),
        confirmed=len(confirmed),
        confirm_p50=statistics.median(latencies) if latencies else float("inf"),
        confirm_p99=_percentile(latencies, 0.99),
        confirm_max=max(latencies, default=float("inf")),
        first_page_after=min((c.at for c in roots), default=float("inf")) - started,
        roots=len(set(found)),
        duplicate_roots=len(found) - len(set(found)),
        all_roots_after=max((c.at for c in roots), default=float("inf")) - started,
        posts=harness.standin.call_count("chat.postMessage"),
        posts_429=harness.standin.rate_limited("chat.postMessage"),
    )


def _modal(harness: Harness) -> dict[str, Any]:
    before = len(harness.standin.calls_to("views.open"))
    harness.driver.slash_command(user_id=CAST.admin, text="")
    harness.standin.wait_for("views.open", count=before + 1)
    return dict(harness.standin.views_opened()[-1])


def _submit(harness: Harness, user_id: str, view: dict[str, Any], n: int) -> None:
    values = actors.filing_values(
        subject=f"Cannot log in ({n})", description="Agents are locked out.", impact="critical"
    )
    harness.driver.view_submission(
        user_id=user_id, view=view, values=values, view_id=f"VBURST{n:05d}"
    )


def _wait_until_settled(harness: Harness, count: int, *, timeout: float) -> None:
    """Until every filing is confirmed and every root posted (polled cheaply), or timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = [c for c in harness.standin.calls_to("chat.postMessage") if c.status == 200]
        filed = sum("is filed" in str(c.params) for c in posts)
        roots = sum(
            c.params.get("channel") == CAST.oncall_channel and _is_root(c.params) for c in posts
        )
        if filed >= count and roots >= count:
            return
        time.sleep(0.25)


def _first_post_to(
    posts: list[RecordedCall], people: dict[str, float], matches: Callable[[RecordedCall], bool]
) -> dict[str, float]:
    """When each person first received a matching post."""
    seen: dict[str, float] = {}
    for call in posts:
        user_id = str(call.params.get("channel"))
        if user_id in people and user_id not in seen and matches(call):
            seen[user_id] = call.at
    return seen


def _is_root(params: dict[str, Any]) -> bool:
    return not params.get("thread_ts")


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("inf")
    index = min(len(values) - 1, max(0, round(share * (len(values) - 1))))
    return values[index]
