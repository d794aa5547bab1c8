"""`python -m bot demo`: a week of support played against the local Slack stand-in.

Real signed Slack traffic goes to the real app over HTTP; a simulated clock runs the
desk fast and skips the quiet weekend, so pings, the on-call flow and a breach happen
within a minute of real time.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pendulum
from pendulum import DateTime

from bot.cli.report import render_report
from bot.clock import SimulatedClock
from bot.devtools.demo_scenes import Scenes
from bot.devtools.harness import CAST, Harness
from bot.devtools.render import Renderer
from bot.devtools.timeline import Timeline

# A Friday 20 minutes before the desk closes for the weekend.
DEFAULT_START = pendulum.datetime(2026, 11, 20, 20, 40, tz="America/New_York")
DEFAULT_SPEED = 300.0


@dataclass(frozen=True)
class DemoOptions:
    start: DateTime = DEFAULT_START
    speed: float = DEFAULT_SPEED
    keep: Path | None = None
    out: TextIO = sys.stdout
    tick_seconds: float = 0.1


def run_demo(options: DemoOptions) -> int:
    """Play the scenario; print the timeline and the SLA report; 0 when it all happened."""
    folder = options.keep or Path(tempfile.mkdtemp(prefix="kustomer-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder / 'demo.db'}"
    clock = SimulatedClock(options.start, options.speed)
    harness = Harness(
        database_url=database_url,
        clock=clock,
        scheduler_tick_seconds=options.tick_seconds,
        bot_clock_start=options.start.to_iso8601_string(),
        bot_clock_speed=options.speed,
    )
    names = {**CAST.names, **_places()}
    timeline = Timeline(
        renderer=Renderer(names=names, timezone=harness.settings.business_timezone),
        now=clock.now,
        timezone=harness.settings.business_timezone,
        out=options.out,
    )
    harness.standin.add_listener(timeline.on_call)
    print(_banner(options, database_url), file=options.out, flush=True)
    try:
        harness.start_scheduler()
        Scenes(harness, clock, timeline).play()
    finally:
        harness.stop()
    print_report(database_url, options.out, at=clock.now())
    if options.keep:
        print(f"\nDatabase kept at {folder / 'demo.db'}", file=options.out)
    return 0


def print_report(database_url: str, out: TextIO, *, at: DateTime) -> None:
    """The SLA report over what the demo filed, as of the simulated end."""
    print("\n== SLA report", file=out)
    print(render_report(database_url, at=at), file=out, flush=True)


def _places() -> dict[str, str]:
    return {
        CAST.support_channel: "support",
        CAST.oncall_channel: "support-oncall",
        CAST.escalation_channel: "support-escalations",
        CAST.email_channel: "support-email",
        CAST.support_group: "support-team",
        CAST.oncall_group: "oncall",
    }


def _banner(options: DemoOptions, database_url: str) -> str:
    start = options.start.in_timezone("America/New_York").format("dddd D MMMM YYYY HH:mm zz")
    return (
        "Kustomer support bot — offline demo\n"
        f"Simulated clock from {start}, {options.speed:g}x real time; Slack is a local"
        f" stand-in; database {database_url}\n"
        "Business hours: Sun 18:00 to Fri 21:00 America/New_York."
    )
