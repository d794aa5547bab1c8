"""Clocks: the only place in the project that reads the wall clock.

Everything else receives a `Clock` and asks it for `now()`, so tests and the demo can
run the whole desk on controlled or accelerated time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

import pendulum
from pendulum import DateTime


class Clock(Protocol):
    """Tells the current instant (UTC-aware) and waits in the clock's own time."""

    def now(self) -> DateTime: ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time."""

    def stretch(self, real: timedelta) -> timedelta:
        """How much of this clock's time passes during `real` of real time.

        Leases and grace periods guard real work (a Slack call takes real seconds), so on an
        accelerated clock they must be stretched or they would run out mid-call.
        """


class SystemClock:
    """The real wall clock."""

    def now(self) -> DateTime:
        return pendulum.now("UTC")

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))

    def stretch(self, real: timedelta) -> timedelta:
        return real


class SimulatedClock:
    """Starts at `start` and runs `speed` times faster than real time."""

    def __init__(self, start: DateTime, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.start = start.in_timezone("UTC")
        self.speed = speed
        self._origin = time.monotonic()
        self._skipped = 0.0
        self._lock = threading.Lock()

    def now(self) -> DateTime:
        with self._lock:
            elapsed = (time.monotonic() - self._origin) * self.speed + self._skipped
        return self.start.add(microseconds=int(elapsed * 1_000_000))

    def jump_to(self, instant: DateTime) -> None:
        """Skip ahead to `instant` (the demo skips quiet hours); never goes back."""
        gap = (instant - self.now()).total_seconds()
        if gap > 0:
            with self._lock:
                self._skipped += gap

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.speed)

    def stretch(self, real: timedelta) -> timedelta:
        return real * self.speed


class ManualClock:
    """A clock that moves only when told to: for tests that drive time step by step."""

    def __init__(self, start: DateTime) -> None:
        self._now = start.in_timezone("UTC")
        self._lock = threading.Lock()

    def now(self) -> DateTime:
        with self._lock:
            return self._now

    def set(self, instant: DateTime) -> None:
        with self._lock:
            self._now = instant.in_timezone("UTC")

    def advance(self, **delta: float) -> DateTime:
        """Move forward by a pendulum duration (`hours=1`, `minutes=5`, ...)."""
        with self._lock:
            self._now = self._now.add(**delta)  # type: ignore[arg-type]
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds=seconds)

    def stretch(self, real: timedelta) -> timedelta:
        return real  # nothing moves while the test's code runs


def real_time() -> float:
    """Seconds since the epoch on the real wall clock.

    Slack's rate limits run on real time even when the desk runs on a simulated clock, and
    replicas share them, so pacing uses this rather than a `Clock`.
    """
    return time.time()


def real_sleep(seconds: float) -> None:
    """Wait real seconds (pacing against Slack's real-time limits)."""
    time.sleep(max(0.0, seconds))


def poll_until(condition: Callable[[], bool], *, timeout: float, every: float = 0.02) -> bool:
    """Check `condition` until it holds or `timeout` real seconds pass; returns whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True
