"""Clocks: simulated time runs faster, jumps forward, and stays UTC-aware."""

from __future__ import annotations

import pendulum

from bot.clock import ManualClock, SimulatedClock, SystemClock

START = pendulum.datetime(2026, 11, 20, 20, 40, tz="America/New_York")


def test_the_system_clock_is_utc_aware() -> None:
    now = SystemClock().now()

    assert now.tzinfo is not None
    assert now.utcoffset() == pendulum.duration(0)


def test_a_simulated_clock_starts_where_told_and_runs_faster() -> None:
    clock = SimulatedClock(START, speed=600)
    first = clock.now()
    clock.sleep(60)  # one simulated minute: 0.1 real seconds
    second = clock.now()

    assert first >= START
    assert (first - START).total_seconds() < 60
    assert 60 <= (second - first).total_seconds() < 600


def test_a_simulated_clock_jumps_forward_but_never_back() -> None:
    clock = SimulatedClock(START, speed=1)
    clock.jump_to(START.add(days=2))
    after_jump = clock.now()
    clock.jump_to(START)

    assert after_jump >= START.add(days=2)
    assert clock.now() >= after_jump


def test_a_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(START)

    assert clock.now() == START
    clock.advance(minutes=90)
    assert clock.now() == START.add(minutes=90)
    assert clock.now().timezone_name == "UTC"


def test_leases_stretch_with_the_clock_speed() -> None:
    real = pendulum.duration(minutes=2)

    assert SimulatedClock(START, speed=300).stretch(real) == real * 300
    assert SystemClock().stretch(real) == real
    assert ManualClock(START).stretch(real) == real
