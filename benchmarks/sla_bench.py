"""Benchmark: our first-response due computation against `businesstimedelta`, same inputs.

    python benchmarks/sla_bench.py [--n 20000] [--seed 2026]

Both engines get the policy calendar (Sun 18:00-Fri 21:00 America/New_York) with the same
holidays, and N seeded random (created_at, Low/Medium/High) inputs across 2026, which
includes both DST changes. Prints both rates, their ratio and every kind of disagreement.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import businesstimedelta

from bot.domain.calendar import BusinessCalendar, parse_business_hours
from bot.domain.requests import Priority
from bot.domain.sla import FIRST_RESPONSE_TARGETS, SlaPolicy

TIMEZONE = "America/New_York"
# 2027 dates too: the peer's HolidayRule fails when no holiday follows within five years.
HOLIDAYS = (date(2026, 11, 26), date(2026, 12, 25), date(2027, 11, 25), date(2027, 12, 24))
PRIORITIES = (Priority.LOW, Priority.MEDIUM, Priority.HIGH)
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)

Case = tuple[datetime, Priority]


def make_inputs(count: int, seed: int) -> list[Case]:
    """N reproducible (created_at, priority) pairs at whole seconds across 2026."""
    rng = random.Random(seed)
    return [
        (YEAR_START + timedelta(seconds=rng.randrange(365 * 86_400)), rng.choice(PRIORITIES))
        for _ in range(count)
    ]


def ours() -> Callable[[datetime, timedelta], datetime]:
    """Our engine, on a fresh calendar (its per-day cache starts cold)."""
    hours = parse_business_hours("Sun 18:00-Fri 21:00")
    calendar = BusinessCalendar(TIMEZONE, hours, HOLIDAYS)
    return calendar.add


def peer() -> Callable[[datetime, timedelta], datetime]:
    """businesstimedelta: WorkDayRule cannot end at 24:00, so whole days end 23:59:59.999999."""
    tz = importlib.import_module("pytz").timezone(TIMEZONE)
    end_of_day = clock_time.max
    rules = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(clock_time(18), end_of_day, [6], tz=tz),
            businesstimedelta.WorkDayRule(clock_time(0), end_of_day, [0, 1, 2, 3], tz=tz),
            businesstimedelta.WorkDayRule(clock_time(0), clock_time(21), [4], tz=tz),
            businesstimedelta.HolidayRule(list(HOLIDAYS), tz=tz),
        ]
    )

    def add(start: datetime, amount: timedelta) -> datetime:
        result: datetime = start + businesstimedelta.BusinessTimeDelta(rules, timedelta=amount)
        return result

    return add


def timed(
    add: Callable[[datetime, timedelta], datetime], cases: Sequence[Case]
) -> tuple[list[datetime], float]:
    """(answers, seconds) for one engine over all cases."""
    began = time.perf_counter()
    answers = [add(created, FIRST_RESPONSE_TARGETS[priority]) for created, priority in cases]
    return answers, time.perf_counter() - began


def reason(created: datetime, mine: datetime, theirs: datetime, policy: SlaPolicy) -> str:
    """A short guess at why the peer differs, for the report."""
    gap = abs(theirs - mine)
    if gap <= timedelta(milliseconds=1):
        return "peer's day rules end at 23:59:59.999999: 1 us lost per midnight crossed"
    if not policy.open_at(mine) and theirs == policy.calendar.next_opening(mine):
        return "peer moved a due at a closing instant to the next opening"
    offsets = {policy.calendar.local(x).utcoffset() for x in (created, mine)}
    if len(offsets) > 1:
        return "a DST change lies between creation and due"
    return "other"


def _local(policy: SlaPolicy, at: datetime) -> str:
    return policy.calendar.local(at).format("ddd YYYY-MM-DD HH:mm:ss.SSSSSS zz")


def report(cases: Sequence[Case], mine: list[datetime], theirs: list[datetime]) -> None:
    """Print how many of the peer's answers differ from ours, by reason, with examples."""
    policy = SlaPolicy(
        BusinessCalendar(TIMEZONE, parse_business_hours("Sun 18:00-Fri 21:00"), HOLIDAYS)
    )
    kinds: Counter[str] = Counter()
    examples: dict[str, tuple[Case, datetime, datetime]] = {}
    for case, a, b in zip(cases, mine, theirs, strict=True):
        if a != b:
            kind = reason(case[0], a, b, policy)
            kinds[kind] += 1
            examples.setdefault(kind, (case, a, b))
    far = sum(abs(a - b) > timedelta(milliseconds=1) for a, b in zip(mine, theirs, strict=True))
    print(f"disagreements: {sum(kinds.values())} of {len(cases)} ({far} more than 1 ms apart)")
    for kind, count in kinds.most_common():
        (created, priority), a, b = examples[kind]
        print(f"  {count:6d}  {kind}")
        print(f"          e.g. {priority.label} created {_local(policy, created)}")
        print(f"               ours {_local(policy, a)}  peer {_local(policy, b)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    args = parser.parse_args(argv)
    cases = make_inputs(args.n, args.seed)
    mine, our_seconds = timed(ours(), cases)
    theirs, peer_seconds = timed(peer(), cases)
    our_rate, peer_rate = len(cases) / our_seconds, len(cases) / peer_seconds
    print(f"inputs: {len(cases)} (seed {args.seed}), Low/Medium/High across 2026")
    print(f"ours:             {our_rate:12,.0f} computations/s ({our_seconds:.3f} s)")
    print(f"businesstimedelta: {peer_rate:11,.0f} computations/s ({peer_seconds:.3f} s)")
    print(f"ratio ours/peer:  {our_rate / peer_rate:12.1f}x")
    report(cases, mine, theirs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
