"""Fault-injection fixtures: a private PostgreSQL to restart, whole bots, captured logs.

Every fault test captures what the app logs (in process: the raw records and the lines
the app's own handler writes; for subprocesses: their stderr) and checks that no secret
shows in it: the bot token, the signing secret, the database password.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from bot.clock import ManualClock
from bot.db.migrate import upgrade
from bot.db.scratch import scratch_schema
from bot.devtools.harness import BOT_TOKEN, SIGNING_SECRET, Harness
from bot.logs import make_handler
from tests.conftest import DATABASE_PARAMS, empty_database_url
from tests.e2e.conftest import _assert_everything_valid
from tests.faults.leaks import Leaks
from tests.faults.private_pg import PrivatePostgres, why_not

# Wednesday 18 November 2026, 15:00 in New York: the desk is open.
OPEN_WEDNESDAY = pendulum.datetime(2026, 11, 18, 15, 0, tz="America/New_York")

WorldFactory = Callable[..., Harness]


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of this test session's own (skipped when it cannot run here)."""
    reason = why_not()
    if reason is not None:
        pytest.skip(reason)
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def private_url(private_postgres: PrivatePostgres) -> Iterator[str]:
    """A fresh, migrated schema on the private server; its URL carries the password."""
    private_postgres.start_if_stopped()
    with scratch_schema(private_postgres.url, prefix="faults") as url:
        upgrade(url)
        yield url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(OPEN_WEDNESDAY)


@pytest.fixture
def leaks() -> Leaks:
    """The secrets of the test's bots; tests add the database password they used."""
    return Leaks([BOT_TOKEN, SIGNING_SECRET])


@pytest.fixture
def app_log(leaks: Leaks, caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Everything logged, as the app's own stderr handler writes it (DEBUG and up).

    The handler is the one `setup_logging` installs, given the secrets the app gives it
    (the Slack ones; database passwords are redacted from URLs). At the end of the test no
    secret may show in these lines, nor in the raw records caplog kept.
    """
    stream = io.StringIO()
    handler = make_handler("text", secrets=[BOT_TOKEN, SIGNING_SECRET], stream=stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    raw = [_raw_text(record) for record in caplog.records]
    leaks.assert_absent(stream.getvalue(), where="the app's log lines")
    leaks.assert_absent("\n".join(raw), where="the raw log records")


def _raw_text(record: logging.LogRecord) -> str:
    """A record as logged, before the app's redaction: message, arguments, fields, trace."""
    parts = [str(record.msg), repr(record.args)]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts += [str(v) for k, v in record.__dict__.items() if k not in ("msg", "args", "exc_info")]
    return "\n".join(parts)


@pytest.fixture
def make_world(clock: ManualClock, leaks: Leaks, app_log: io.StringIO) -> Iterator[WorldFactory]:
    """Whole bots on loopback (`Harness`), stopped after the test; what they sent to Slack
    respects Slack's limits and shows no secret, nor does anything they logged (app_log)."""
    started: list[Harness] = []

    def build(database_url: str, **overrides: Any) -> Harness:
        harness = Harness(database_url=database_url, clock=clock, rate_limits=True, **overrides)
        started.append(harness)
        return harness

    yield build
    for harness in started:
        harness.stop()
    for harness in started:
        _assert_everything_valid(harness)
        sent = "\n".join(repr(call.params) for call in harness.standin.calls)
        leaks.assert_absent(sent, where="what the app sent to Slack")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture(params=DATABASE_PARAMS)
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database of each kind, migrated (SQLite migrates itself at start)."""
    with empty_database_url(request.param, tmp_path) as url:
        if not url.startswith("sqlite"):
            upgrade(url)
        yield url
