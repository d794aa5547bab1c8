"""`python -m bot demo` flags: a wrong one costs one clear line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from bot.cli.demo import BadFlag, keep_path, options_from
from bot.devtools.demo import DEFAULT_SPEED, DEFAULT_START

REPO = Path(__file__).resolve().parents[2]


def demo(*flags: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *flags],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--speed", "0"], "--speed must be a number above 0"),
        (["--speed", "-5"], "--speed must be a number above 0"),
        (["--start", "2026-11-20T20:40:00"], "has no UTC offset"),
        (["--keep", "no-such-folder/demo.db"], "cannot be written"),
        (["--keep", "a-file/demo.db"], "cannot be written"),
    ],
    ids=["speed-zero", "speed-negative", "naive-start", "keep-missing-folder", "keep-under-a-file"],
)
def test_a_bad_flag_gets_one_line_and_exit_2(flags: list[str], says: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")

    result = demo(*flags, cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("demo: ") and says in lines[0]
    assert result.stdout == ""  # nothing was played
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]  # nor written


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "-inf", "fast", ""], ids=repr)
def test_speeds_that_cannot_run_a_clock_are_refused(text: str) -> None:
    with pytest.raises(BadFlag, match="--speed"):
        options_from(speed=text, start=None, keep=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-18T10:00:00-05:00", pendulum.datetime(2026, 11, 18, 15, tz="UTC")),
        ("2026-11-18T15:00:00Z", pendulum.datetime(2026, 11, 18, 15, tz="UTC")),
        ("2026-11-18T16:00:00+01:00", pendulum.datetime(2026, 11, 18, 15, tz="UTC")),
    ],
)
def test_a_start_with_an_offset_is_accepted(text: str, expected: pendulum.DateTime) -> None:
    options = options_from(speed="600", start=text, keep=None)

    assert options.start == expected
    assert options.start.utcoffset() is not None
    assert options.speed == 600.0


@pytest.mark.parametrize("text", ["2026-11-18T10:00:00", "2026-11-18", "next friday"])
def test_a_start_without_an_offset_is_refused(text: str) -> None:
    with pytest.raises(BadFlag, match="--start"):
        options_from(speed=None, start=text, keep=None)


def test_without_flags_the_defaults_apply() -> None:
    options = options_from(speed=None, start=None, keep=None)

    assert (options.speed, options.start, options.keep) == (DEFAULT_SPEED, DEFAULT_START, None)


def test_keep_takes_a_new_file_or_a_folder_and_leaves_nothing_behind(tmp_path: Path) -> None:
    assert keep_path(str(tmp_path / "mine.db")) == tmp_path / "mine.db"
    assert keep_path(str(tmp_path)) == tmp_path / "demo.db"
    assert list(tmp_path.iterdir()) == []  # checked by writing, then cleaned up


def test_keep_never_overwrites_a_database(tmp_path: Path) -> None:
    (tmp_path / "demo.db").write_text("yesterday's demo")

    with pytest.raises(BadFlag, match="already exists"):
        keep_path(str(tmp_path / "demo.db"))
    with pytest.raises(BadFlag, match="already exists"):
        keep_path(str(tmp_path))
    assert (tmp_path / "demo.db").read_text() == "yesterday's demo"
