"""The demo's stage: the desk's clock moved in steps, the scheduler ticked at each step.

The desk's clock stands still while people act and the app answers, and moves in steps of
`STEP`, `speed` times faster than real time, with one scheduler tick after each step. So
every instant the app reads, every message it writes and the order it writes them in are
the same on every run: the timeline tells the same story each time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pendulum import DateTime

from bot.clock import ManualClock, SimulatedClock
from bot.devtools.harness import Harness
from bot.devtools.timeline import Timeline
from bot.domain.calendar import BusinessCalendar
from bot.slack.app import ListenerPool

STEP = timedelta(seconds=30)
SETTLE_SECONDS = 30.0  # generous: the app normally settles in milliseconds


class DemoStalled(Exception):
    """The app did not do what the script waited for; the message says what."""


class Stage:
    """Runs the desk's clock for the script and prints each step's effects under it."""

    def __init__(
        self, harness: Harness, clock: ManualClock, timeline: Timeline, *, speed: float
    ) -> None:
        self.harness = harness
        self.clock = clock
        self.timeline = timeline
        # Real time, accelerated: the desk's clock never runs ahead of it.
        self.pace = SimulatedClock(clock.now(), speed)

    @property
    def calendar(self) -> BusinessCalendar:
        return self.harness.runtime.desk.policy.calendar

    def now(self) -> DateTime:
        return self.clock.now()

    def settle(self) -> None:
        """Wait until the app has finished everything it started, then print it."""
        pool = self.harness.runtime.listeners
        if not isinstance(pool, ListenerPool):
            raise TypeError("the demo needs the app's ListenerPool to tell when it is done")
        if not pool.wait_idle(SETTLE_SECONDS):
            raise DemoStalled(f"the app was still busy after {SETTLE_SECONDS:g} s")
        self.timeline.flush()

    def advance_to(self, instant: DateTime) -> None:
        """Run the desk's clock to `instant`, a step at a time."""
        while self.clock.now() < instant:
            self.step(min(self.clock.now() + STEP, instant))

    def run_until(self, what: str, done: Callable[[], bool], *, latest: DateTime) -> None:
        """Run the clock step by step until `done()` holds; past `latest` the demo stops."""
        while not done():
            if self.clock.now() >= latest:
                raise DemoStalled(f"the app did not {what} by {latest.to_iso8601_string()}")
            self.step(min(self.clock.now() + STEP, latest))

    def step(self, instant: DateTime) -> None:
        """Move the clock to `instant` (no sooner than real time allows) and tick once."""
        ahead = (instant - self.pace.now()).total_seconds()
        if ahead > 0:
            self.pace.sleep(ahead)
        self.clock.set(instant)
        self.harness.runtime.scheduler.tick()
        self.settle()

    def skip_to(self, instant: DateTime) -> None:
        """Jump over quiet hours: no tick happens in between (the clock never goes back)."""
        if instant > self.clock.now():
            self.pace.jump_to(instant)
            self.clock.set(instant)
