"""SIGKILL of the web process (`python -m bot run`, HTTP) in the middle of a filing.

A filing is all or nothing: killed before its transaction commits, nothing of it is stored
(the person files again, once); killed after, while Slack is still taking its root message,
the request is whole in the database and its conversation opens after the restart, once.

Two kill points, each made certain rather than hoped for: the test holds a lock on the
idempotency keys (the filing's first write waits on it), or Slack (the stand-in) holds the
root message. The restarted process runs its clock five minutes on, as a restart some
minutes later would: the dead process's claim on the root message has run out by then.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.db.engine import Database
from bot.db.models import IdempotencyKey, RequestEvent, SupportRequest, Timer
from bot.devtools.driver import SlackDriver
from bot.devtools.harness import SIGNING_SECRET, TEAM_ID, populate
from bot.devtools.standin import SlackStandIn
from tests.app.bot_process import FILLED_IN, Serving, clean_env, free_port, start_serving
from tests.e2e.flows import filing_values
from tests.faults.leaks import Leaks
from tests.faults.private_pg import PrivatePostgres

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

# Slack holds the root message past the end of the test: it never answers the dead process.
ROOT_HELD = 600.0
KILL_WITHIN = 8.0  # the app's Slack client gives up after 10 s: kill well before


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=FILLED_IN["SLACK_BOT_TOKEN"], team_id=TEAM_ID) as running:
        populate(running)
        yield running


@pytest.fixture
def db(private_url: str) -> Iterator[Database]:
    database = Database.from_url(private_url)
    yield database
    database.dispose()


class Bots:
    """Starts `python -m bot run` processes on the test's database; checks their stderr."""

    def __init__(self, standin: SlackStandIn, url: str, folder: Path) -> None:
        self.standin, self.url, self.folder = standin, url, folder
        self.started: list[Serving] = []

    def start(self, *, clock_ahead: timedelta | None = None) -> tuple[Serving, SlackDriver]:
        port = free_port()
        settings = {
            **FILLED_IN,
            "DATABASE_URL": self.url,
            "SLACK_API_URL": self.standin.base_url,
            "PORT": str(port),
            "LOG_LEVEL": "DEBUG",
            "SCHEDULER_TICK_SECONDS": "0.2",
            "CHANNEL_PACE_SECONDS": "0",
            "SUPPORT_EMAIL": "support@kustomer.example",
        }
        if clock_ahead is not None:
            start = pendulum.now("UTC") + clock_ahead
            settings["BOT_CLOCK_START"] = start.to_iso8601_string()
        folder = self.folder / f"bot{len(self.started) + 1}"
        folder.mkdir()
        bot = start_serving(folder, port, clean_env(**settings))
        self.started.append(bot)
        bot.wait_until_serving()
        driver = SlackDriver(
            base_url=f"http://127.0.0.1:{port}/slack/events",
            signing_secret=SIGNING_SECRET,
            team_id=TEAM_ID,
            response_url_base=self.standin.response_url_base,
        )
        return bot, driver

    def open_modal(self, driver: SlackDriver) -> dict[str, Any]:
        before = len(self.standin.calls_to("views.open"))
        typed = driver.slash_command(user_id="U0ADA", channel_id="C0SUPPORT")
        assert typed.status == 200, typed.body
        self.standin.wait_for("views.open", count=before + 1, timeout=15)
        return dict(self.standin.views_opened()[-1])

    def stop_all(self) -> list[str]:
        for bot in self.started:
            if bot.process.poll() is None:
                bot.stop()
        return [bot.output() for bot in self.started]


@pytest.fixture
def bots(
    standin: SlackStandIn,
    private_url: str,
    private_postgres: PrivatePostgres,
    tmp_path: Path,
    leaks: Leaks,
) -> Iterator[Bots]:
    leaks.add(private_postgres.password)
    running = Bots(standin, private_url, tmp_path)
    try:
        yield running
    finally:
        outputs = running.stop_all()
    for number, output in enumerate(outputs, start=1):
        leaks.assert_checked(output, where=f"the stderr of bot process {number}")
    leaks.assert_absent(repr([c.params for c in standin.calls]), where="what was sent to Slack")


def _until(
    condition: Callable[[], bool], timeout: float, what: str, bots: Bots | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = bots.started[-1].output()[-6000:] if bots else ""
            raise AssertionError(f"not within {timeout}s: {what}\n{logs}")
        time.sleep(0.02)


def _kill(bot: Serving) -> None:
    bot.process.kill()
    bot.process.wait(10)


def _rows(db: Database, table: Any) -> list[Any]:
    with db.session() as session:
        return list(session.exec(select(table)).all())


def _filing_waits_on_lock(db: Database) -> bool:
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query ILIKE 'INSERT INTO idempotency_keys%'"
    )
    with db.engine.connect() as connection:
        return bool(connection.execute(query).scalar())


def _root_being_posted(db: Database) -> bool:
    """The request is stored and the filing holds its root message's timer: the post is next."""
    with db.session() as session:
        taken = select(Timer).where(
            col(Timer.kind) == "publish_conversation",
            col(Timer.claimed_by).startswith("conversation:"),
        )
        return session.exec(taken).first() is not None


def _roots(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [m for m in standin.messages("C0SUPPORT") if not m.get("thread_ts")]


def test_a_filing_killed_midway_is_all_or_nothing(
    bots: Bots, standin: SlackStandIn, db: Database
) -> None:
    # 1. Killed before the filing's transaction commits: nothing of it is stored.
    bot1, driver1 = bots.start()
    first_view = bots.open_modal(driver1)
    with db.engine.connect() as holder:
        holder.execute(text("LOCK TABLE idempotency_keys IN EXCLUSIVE MODE"))
        submitted = driver1.view_submission(
            user_id="U0ADA", view=first_view, values=filing_values(subject="Killed early")
        )
        assert submitted.status == 200
        _until(lambda: _filing_waits_on_lock(db), KILL_WITHIN, "the filing waits on the lock")
        _kill(bot1)
        holder.rollback()
    assert [k.scope for k in _rows(db, IdempotencyKey)] == ["interaction"]  # the command's
    assert _rows(db, SupportRequest) == [] and _rows(db, Timer) == []

    # 2. Killed after it committed, while Slack holds the root message: stored whole.
    bot2, driver2 = bots.start()
    second_view = bots.open_modal(driver2)
    standin.stall_next("chat.postMessage", ROOT_HELD)
    submitted = driver2.view_submission(
        user_id="U0ADA", view=second_view, values=filing_values(subject="Killed late")
    )
    assert submitted.status == 200
    _until(lambda: _root_being_posted(db), KILL_WITHIN, "the filing posts its root")
    _until(lambda: standin.stalls_left("chat.postMessage") == 0, KILL_WITHIN, "Slack has it")
    _kill(bot2)
    [request] = _rows(db, SupportRequest)
    assert (request.subject, request.thread_ts, request.conversation_pending) == (
        "Killed late",
        None,
        True,
    )
    kinds = sorted(t.kind for t in _rows(db, Timer))
    assert "publish_conversation" in kinds and "first_response_breach" in kinds
    assert [e.kind for e in _rows(db, RequestEvent)] == ["filed"]
    assert _roots(standin) == []

    # 3. Restarted (some minutes later): the root goes out once, the requester is told,
    # and the person who got nothing the first time files again, once.
    _, driver3 = bots.start(clock_ahead=timedelta(minutes=5))
    _until(lambda: len(_roots(standin)) == 1, 20, "the late root message", bots)
    _until(lambda: _told(standin, "is open"), 10, "the requester hears it is open")
    retry_view = bots.open_modal(driver3)
    assert (
        driver3.view_submission(
            user_id="U0ADA", view=retry_view, values=filing_values(subject="Killed early")
        ).status
        == 200
    )
    _until(lambda: len(_roots(standin)) == 2, 20, "the retried filing's root", bots)
    _until(lambda: all(r.thread_ts for r in _rows(db, SupportRequest)), 10, "stored", bots)
    stored = sorted((r.subject, r.thread_ts) for r in _rows(db, SupportRequest))
    roots = {m["ts"] for m in _roots(standin)}
    assert [s for s, _ in stored] == ["Killed early", "Killed late"]
    assert {ts for _, ts in stored} == roots


def _told(standin: SlackStandIn, words: str) -> bool:
    return any(words in str(m.get("text")) for m in standin.messages("U0ADA"))
