"""Only bot/clock.py may read the wall clock; everything else gets a Clock."""

from __future__ import annotations

import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
WALL_CLOCK = re.compile(
    r"\b(datetime\.(utc)?now|pendulum\.(now|today)|time\.time|date\.today|utcnow)\("
)


def test_nothing_outside_the_clock_module_reads_the_wall_clock() -> None:
    offenders = [
        f"{path.relative_to(BOT.parent)}:{number}: {line.strip()}"
        for path in BOT.rglob("*.py")
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if WALL_CLOCK.search(line)
    ]

    assert offenders == []
