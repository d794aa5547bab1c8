"""The `sla` command, run through `run_sla` with an explicit calendar and streams."""

from __future__ import annotations

import io
import json
import random
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.sla import run_sla
from bot.domain.calendar import BusinessCalendar


def _run(argv: list[str], calendar: BusinessCalendar, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_sla(argv, calendar=calendar, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_for_the_policy_example(default_calendar: BusinessCalendar) -> None:
    argv = ["--json", "--priority", "high", "--created", "2026-11-20T20:30:00-05:00"]
    code, out, err = _run(argv, default_calendar)
    assert (code, err) == (0, "")
    assert '"due_at": "2026-11-22T23:30:00Z"' in out
    assert json.loads(out) == {
        "created_at": "2026-11-21T01:30:00Z",
        "priority": "high",
        "due_at": "2026-11-22T23:30:00Z",
        "due_at_local": "2026-11-22T18:30:00-05:00",
        "timezone": "America/New_York",
        "open_at_creation": True,
        "clock": "business",
        "clock_started_at": "2026-11-21T01:30:00Z",
        "target_seconds": 3600,
    }


@pytest.mark.parametrize("created", ["2026-11-21T16:00:00Z", "2026-11-21T16:00:00+00:00"])
def test_json_while_closed_and_any_case_priority(
    default_calendar: BusinessCalendar, created: str
) -> None:
    code, out, _ = _run(["--json", "--priority", "MeDiUm", "--created", created], default_calendar)
    result = json.loads(out)
    assert code == 0
    assert result["open_at_creation"] is False
    assert result["clock_started_at"] == "2026-11-22T23:00:00Z"
    assert result["due_at"] == "2026-11-23T01:00:00Z"
    assert result["priority"] == "medium"


def test_critical_json_uses_the_wall_clock(default_calendar: BusinessCalendar) -> None:
    argv = ["--json", "--priority", "critical", "--created", "2026-11-21T16:00:00.250000Z"]
    result = json.loads(_run(argv, default_calendar)[1])
    assert result["clock"] == "wall"
    assert result["due_at"] == "2026-11-21T16:15:00.250000Z"
    assert result["target_seconds"] == 900


def test_human_explanation(default_calendar: BusinessCalendar) -> None:
    argv = ["--priority", "High", "--created", "2026-11-20T20:30:00-05:00"]
    code, out, _ = _run(argv, default_calendar)
    assert code == 0
    assert "Created:       Fri 2026-11-20 20:30:00 EST  (2026-11-21T01:30:00Z)" in out
    assert "open at creation" in out
    assert "business clock" in out
    assert "Fri 2026-11-20 20:30:00 EST -> Fri 2026-11-20 21:00:00 EST  (30 min)" in out
    assert "Sun 2026-11-22 18:00:00 EST -> Sun 2026-11-22 18:30:00 EST  (30 min)" in out
    assert "Due:           Sun 2026-11-22 18:30:00 EST  (2026-11-22T23:30:00Z)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--priority", "urgent", "--created", "2026-11-20T20:30:00Z"], "unknown priority"),
        (["--priority", "high", "--created", "2026-11-20T20:30:00"], "no UTC offset"),
        (["--priority", "high", "--created", "2026-11-20"], "no UTC offset"),
        (["--priority", "high", "--created", "yesterday"], "not an ISO-8601 instant"),
        (["--priority", "high"], "give --priority and --created"),
        (["--bogus"], "unrecognized arguments"),
        (["--json", "--jsonl"], "not allowed with"),
        (["--jsonl", "--priority", "high"], "drop them"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    default_calendar: BusinessCalendar, argv: list[str], message: str
) -> None:
    code, out, err = _run(argv, default_calendar)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_jsonl_reports_bad_lines_and_keeps_going(default_calendar: BusinessCalendar) -> None:
    lines = "\n".join(
        [
            '{"created_at": "2026-11-20T20:30:00-05:00", "priority": "HIGH"}',
            "",
            "not json",
            '{"created_at": "2026-11-20T20:30:00", "priority": "low"}',
            '{"created_at": "2026-11-20T20:30:00Z", "priority": "urgent"}',
            "[1, 2]",
            '{"priority": "low"}',
            '{"created_at": "2026-11-21T12:00:00Z", "priority": "critical"}',
        ]
    )
    code, out, _ = _run(["--jsonl"], default_calendar, lines + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert results[0]["due_at"] == "2026-11-22T23:30:00Z"
    assert [r.get("line") for r in results[1:6]] == [3, 4, 5, 6, 7]
    assert all("error" in r for r in results[1:6])
    assert results[6]["due_at"] == "2026-11-21T12:15:00Z"


def test_jsonl_all_good_exits_0(default_calendar: BusinessCalendar) -> None:
    line = '{"created_at": "2026-11-20T20:30:00-05:00", "priority": "low"}\n'
    code, out, _ = _run(["--jsonl"], default_calendar, line * 3)
    assert code == 0
    assert len(out.splitlines()) == 3


def test_jsonl_handles_10000_lines_quickly(default_calendar: BusinessCalendar) -> None:
    rng = random.Random(10_000)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    priorities = ["low", "medium", "high", "critical"]
    lines = [
        json.dumps(
            {
                "created_at": (start + timedelta(seconds=rng.randrange(365 * 86_400))).isoformat(),
                "priority": rng.choice(priorities),
            }
        )
        for _ in range(10_000)
    ]
    began = time.perf_counter()
    code, out, _ = _run(["--jsonl"], BusinessCalendar.default(), "\n".join(lines))
    assert time.perf_counter() - began < 5
    assert code == 0
    assert len(out.splitlines()) == 10_000
