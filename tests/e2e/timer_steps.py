"""Steps for the timer tests: move the clock, let the scheduler tick, read what it posted."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pendulum import DateTime

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from tests.e2e.flows import click, current, settle, updates_of

Posted = dict[str, Any]


def run_until(world: Harness, clock: ManualClock, instant: DateTime) -> list[Posted]:
    """Set the clock to `instant`, tick until nothing is due, and return what was posted."""
    settle(world)
    before = len(world.standin.calls_to("chat.postMessage"))
    clock.set(instant)
    for _ in range(50):
        if not world.runtime.scheduler.tick().claimed:
            break
    return [call.params for call in world.standin.calls_to("chat.postMessage")[before:]]


def press(world: Harness, user_id: str, action: str, root: Posted, **options: Any) -> None:
    """Press a button on the root message and wait until the app has rewritten it."""
    before = len(updates_of(world, root))
    click(world, user_id, action, current(world, root), **options)
    world.standin.wait_for(
        "chat.update",
        count=before + 1,
        predicate=lambda c: c.params.get("ts") == root["ts"],
    )
    settle(world)


def shown(posted: Posted) -> str:
    """Everything a post shows, as one string to search."""
    return json.dumps({"text": posted.get("text"), "blocks": posted.get("blocks")})


def in_thread(posted: list[Posted], root: Posted) -> list[Posted]:
    return [p for p in posted if p.get("thread_ts") == root["ts"]]


def in_channel(posted: list[Posted], channel: str) -> list[Posted]:
    return [p for p in posted if p.get("channel") == channel and not p.get("thread_ts")]


# What each notice says, in single posts and in digest lines (case matters: an escalation
# post says "First-response target breached", a digest line "first-response target breached").
NOTICE_PHRASES = (
    ("breached its first-response target", "breach_escalation"),
    ("breached its resolution target", "resolution_escalation"),
    ("First-response target breached", "breach_escalation"),
    ("Resolution target passed", "resolution_escalation"),
    ("missed its first-response target", "breach"),
    ("first-response target breached", "breach"),
    ("passed its resolution target", "resolution_breach"),
    ("resolution target breached", "resolution_breach"),
    ("needs a first response", "reminder"),
    ("first response due,", "reminder"),
    ("is due to be resolved", "resolution_reminder"),
    ("resolution due,", "resolution_reminder"),
    ("an update is due", "update_due"),
)
_KEY = re.compile(r"KS-\d+")


def is_digest(posted: Posted) -> bool:
    blocks = posted.get("blocks") or []
    return bool(blocks) and blocks[0].get("type") == "header" and "need attention" in shown(posted)


def notices_in(posts: Iterable[Posted]) -> Counter[tuple[str, str]]:
    """(request key, notice kind) of every notice in these posts, digests line by line."""
    seen: Counter[tuple[str, str]] = Counter()
    for posted in posts:
        if is_digest(posted):
            lines = [
                line
                for block in posted["blocks"]
                if block.get("type") == "section"
                for line in block["text"]["text"].split("\n")
            ]
        else:
            lines = [str(posted.get("text") or "")]
        for line in lines:
            key = _KEY.search(line)
            kind = next((k for phrase, k in NOTICE_PHRASES if phrase in line), None)
            if key and kind:
                seen[(key.group(), kind)] += 1
    return seen


def gaps(times: list[float]) -> list[float]:
    """Seconds between consecutive posts."""
    return [later - earlier for earlier, later in itertools.pairwise(times)]
