"""PostgreSQL restarted under a running desk: it reconnects, nothing is half-filed, lost or
sent twice.

The server is the test's own (tests/faults/private_pg.py), really stopped and started, with
a password in its URL. The restarts land at chosen moments: between two requests, during a
filing and a tick, and in the window after Slack took a message and before the app wrote
down that it did (a stand-in listener stops the server there, and starts it a moment later).
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from bot.clock import ManualClock
from bot.db.models import SupportRequest, Timer, TimerState
from bot.devtools.harness import Harness
from bot.devtools.standin_state import RecordedCall
from tests.e2e.flows import (
    all_roots,
    file,
    open_modal,
    settle,
    stored_requests,
    submit,
    submit_and_wait,
)
from tests.e2e.timer_steps import is_digest, notices_in, run_until
from tests.faults.conftest import OPEN_WEDNESDAY, WorldFactory
from tests.faults.leaks import Leaks
from tests.faults.private_pg import PrivatePostgres

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

# A Critical request filed at 15:00 is pinged at 50% (15:07:30) and 80% (15:12).
FIRST_PING = OPEN_WEDNESDAY + timedelta(minutes=8)
# Past the first ping's lease (SCHEDULER_LEASE_SECONDS, 120 s), before the second ping.
AFTER_LEASE = OPEN_WEDNESDAY + timedelta(minutes=11)
PEOPLE = 8  # filing one after another while the server restarts
DOWN_FOR = 1.0  # real seconds the server stays down after a stop in a listener


@pytest.fixture
def world(
    make_world: WorldFactory,
    private_url: str,
    private_postgres: PrivatePostgres,
    leaks: Leaks,
    app_log: io.StringIO,
) -> Iterator[Harness]:
    leaks.add(private_postgres.password)
    harness = make_world(private_url, channel_pace_seconds=0)
    yield harness
    private_postgres.start_if_stopped()


def _dms(world: Harness) -> list[dict[str, object]]:
    return world.standin.messages(world.cast.admin)


def _timer_states(world: Harness) -> dict[str, int]:
    with world.runtime.desk.db.session() as session:
        states = session.exec(select(Timer.state)).all()
    found: dict[str, int] = {}
    for state in states:
        found[str(state)] = found.get(str(state), 0) + 1
    return found


def _errors(log: io.StringIO) -> list[str]:
    return [line for line in log.getvalue().splitlines() if " ERROR " in line]


def test_a_restart_between_two_requests_goes_unnoticed(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock, app_log: io.StringIO
) -> None:
    file(world, world.cast.admin, impact="critical")
    assert run_until(world, clock, OPEN_WEDNESDAY + timedelta(minutes=1)) == []

    private_postgres.restart()  # every pooled connection is now dead

    file(world, world.cast.admin, impact="high", subject="After the restart")
    pinged = run_until(world, clock, FIRST_PING)

    assert [r.subject for r in stored_requests(world)][-1] == "After the restart"
    assert len(all_roots(world)) == 2
    assert list(notices_in(pinged).values()) == [1]
    assert world.standin.ephemerals() == []
    assert _errors(app_log) == []  # the pool checked its connections before use


def test_while_postgres_is_down_people_are_told_and_can_retry_once_it_is_back(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock, leaks: Leaks
) -> None:
    critical = file(world, world.cast.admin, impact="critical")
    view = open_modal(world, world.cast.admin)

    private_postgres.stop()
    typed = world.driver.slash_command(
        user_id=world.cast.admin, channel_id=world.cast.support_channel
    )
    submitted = submit(world, world.cast.admin, view, subject="Filed while down")
    settle(world)
    assert run_until(world, clock, FIRST_PING) == []  # the tick fails; nothing is claimed
    told = [e["text"] for e in world.standin.ephemerals(user=world.cast.admin)]
    private_postgres.start()

    # Nobody is left in silence: the command and the submission each earn an apology.
    assert typed.status in (200, 500) and submitted.status == 200
    leaks.assert_absent(typed.body + submitted.body, where="the app's HTTP answers")
    assert len(told) == 2 and all("try again" in text for text in told)
    assert [r.subject for r in stored_requests(world)] == ["Inbox does not load"]
    # Back up: the ping due meanwhile goes out once, and the person's retry files once.
    pinged = run_until(world, clock, FIRST_PING + timedelta(seconds=1))
    assert list(notices_in(pinged).values()) == [1] and pinged[0]["thread_ts"] == critical["ts"]
    submit_and_wait(world, world.cast.admin, open_modal(world, world.cast.admin), subject="Again")
    assert [r.subject for r in stored_requests(world)] == ["Inbox does not load", "Again"]
    assert len(all_roots(world)) == 2
    assert _timer_states(world).get(TimerState.FAILED.value, 0) == 0


def _blip_after(
    world: Harness, server: PrivatePostgres, when: Callable[[RecordedCall], bool]
) -> threading.Event:
    """Stop the server right after Slack answers the first call `when` picks (before the app
    hears the answer), and start it again DOWN_FOR seconds later. Set once it is back."""
    back = threading.Event()
    fired = threading.Event()

    def restart_later() -> None:
        fired.wait(30)
        back.wait(DOWN_FOR)  # the outage itself: the server is down for this long
        server.start_if_stopped()
        back.set()

    def listener(call: RecordedCall) -> None:
        if not fired.is_set() and call.status == 200 and when(call):
            server.stop()
            fired.set()

    threading.Thread(target=restart_later, name="pg-restart", daemon=True).start()
    world.standin.add_listener(listener)
    return back


def test_a_restart_right_after_slack_took_the_root_files_once_and_posts_it_once(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock
) -> None:
    support = world.cast.support_channel
    back = _blip_after(
        world,
        private_postgres,
        lambda c: c.method == "chat.postMessage" and c.params.get("channel") == support,
    )

    root = file(world, world.cast.admin, impact="high")

    assert back.wait(30)
    admin = world.cast.admin
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params["channel"] == admin)
    settle(world)
    [request] = stored_requests(world)
    assert (request.slack_channel_id, request.thread_ts) == (root["channel"], root["ts"])
    assert world.standin.ephemerals() == []  # filed: no apology
    [told] = _dms(world)
    assert request.key in str(told["text"])
    # Long after every lease and grace: still the one root.
    run_until(world, clock, OPEN_WEDNESDAY + timedelta(minutes=5))
    assert len(all_roots(world)) == 1
    assert _timer_states(world).get(TimerState.FAILED.value, 0) == 0


def test_a_restart_right_after_slack_took_a_ping_sends_it_once(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock
) -> None:
    root = file(world, world.cast.admin, impact="critical")
    back = _blip_after(
        world,
        private_postgres,
        lambda c: c.method == "chat.postMessage" and c.params.get("thread_ts") == root["ts"],
    )

    first = run_until(world, clock, FIRST_PING)
    assert back.wait(30)
    again = run_until(world, clock, AFTER_LEASE)

    assert notices_in(first + again) == {(stored_requests(world)[0].key, "reminder"): 1}
    with world.runtime.desk.db.session() as session:
        states = session.exec(
            select(Timer.kind, Timer.state).where(col(Timer.kind) == "first_response_reminder")
        ).all()
    assert sorted(str(s) for _, s in states) == ["done", "pending"]


def test_a_restart_while_a_tick_decides_loses_no_timer(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock
) -> None:
    file(world, world.cast.admin, impact="critical")
    engine = world.runtime.desk.db.engine
    fired = threading.Event()

    def restart_under_the_lock(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        # The tick has claimed the ping and now locks its request: restart under its feet.
        locks = "FROM support_requests" in statement and "FOR UPDATE" in statement
        if locks and not fired.is_set():
            fired.set()
            private_postgres.restart()

    event.listen(engine, "before_cursor_execute", restart_under_the_lock)
    try:
        during = run_until(world, clock, FIRST_PING)
    finally:
        event.remove(engine, "before_cursor_execute", restart_under_the_lock)
    after = run_until(world, clock, AFTER_LEASE)

    assert fired.is_set() and during == []
    [request] = stored_requests(world)
    assert notices_in(after) == {(request.key, "reminder"): 1}  # late, but not lost
    assert _timer_states(world).get(TimerState.FAILED.value, 0) == 0


@contextmanager
def _blip_after_a_filing_commits(server: PrivatePostgres) -> Iterator[threading.Event]:
    """Stop the server as soon as a transaction that inserted a request has committed (the
    filing is stored; its root is not posted yet), and start it again DOWN_FOR later."""
    back, fired = threading.Event(), threading.Event()

    def before_flush(session: Session, *_: object) -> None:
        if any(isinstance(row, SupportRequest) for row in session.new):
            session.info["files"] = True

    def after_commit(session: Session) -> None:
        if session.info.pop("files", False) and not fired.is_set():
            fired.set()
            server.stop()
            threading.Thread(target=restart, name="pg-restart", daemon=True).start()

    def restart() -> None:
        back.wait(DOWN_FOR)
        server.start_if_stopped()
        back.set()

    event.listen(Session, "before_flush", before_flush)
    event.listen(Session, "after_commit", after_commit)
    try:
        yield back
    finally:
        event.remove(Session, "before_flush", before_flush)
        event.remove(Session, "after_commit", after_commit)


def test_down_right_after_a_filing_is_stored_it_is_filed_without_an_apology(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock
) -> None:
    view = open_modal(world, world.cast.admin)
    with _blip_after_a_filing_commits(private_postgres) as back:
        assert submit(world, world.cast.admin, view, impact="high").status == 200
        assert back.wait(30)
        settle(world)

    [request] = stored_requests(world)
    assert world.standin.ephemerals() == []  # it is filed: no apology, so no second filing
    [filed] = _dms(world)
    assert request.key in str(filed["text"]) and "opens shortly" in json.dumps(filed["blocks"])
    # The scheduler opens the conversation once the filing's claim on it has run out.
    run_until(world, clock, OPEN_WEDNESDAY + timedelta(minutes=3))
    [root] = all_roots(world)
    assert stored_requests(world)[0].thread_ts == root["ts"]
    assert "is open" in str(_dms(world)[-1]["text"])


def _try_to_file(world: Harness, subject: str) -> bool:
    """One go at `/kustomer-support` and the form; False when the app apologised instead."""
    admin = world.cast.admin
    told = len(world.standin.ephemerals(user=admin))
    opened = len(world.standin.calls_to("views.open"))
    typed = world.driver.slash_command(user_id=admin, channel_id=world.cast.support_channel)
    if typed.status == 200:
        try:
            world.standin.wait_for("views.open", count=opened + 1, timeout=10)
        except AssertionError:
            assert world.runtime.listeners.wait_idle(60)
            return False
        view = dict(world.standin.views_opened()[-1])
        assert submit(world, admin, view, impact="high", subject=subject).status == 200
    assert world.runtime.listeners.wait_idle(60)
    return len(world.standin.ephemerals(user=admin)) == told


def _whole(world: Harness, keys: list[str]) -> bool:
    """Every stored request has its conversation, and every early request its ping."""
    stored = stored_requests(world)
    posts = [c.params for c in world.standin.calls_to("chat.postMessage") if c.status == 200]
    pinged = {key for key, kind in notices_in(posts) if kind == "reminder"}
    return all(r.thread_ts for r in stored) and pinged >= set(keys)


def test_a_restart_amid_filings_and_ticks_leaves_every_request_whole(
    world: Harness, private_postgres: PrivatePostgres, clock: ManualClock
) -> None:
    for number in range(4):
        file(world, world.cast.admin, impact="critical", subject=f"Early {number}")
    keys = [r.key for r in stored_requests(world)]
    world.standin.stall_next("chat.postMessage", 0.15, count=40)  # posts take a moment
    world.start_scheduler()
    apologies: dict[str, int] = {}
    under_way = threading.Event()

    def people_file() -> None:
        for number in range(PEOPLE):
            subject = f"Amid {number}"
            apologies[subject] = 0
            # Told to try again, a person does, a moment later: until it is filed.
            while not _try_to_file(world, subject):
                apologies[subject] += 1
                assert apologies[subject] < 20, f"{subject} could not be filed"
                time.sleep(0.2)
            if number == 1:
                under_way.set()

    filer = threading.Thread(target=people_file, name="filer", daemon=True)
    filer.start()
    assert under_way.wait(60)
    clock.set(FIRST_PING)  # the early requests' pings come due: the scheduler gets busy
    private_postgres.restart()
    filer.join(120)
    assert not filer.is_alive() and len(apologies) == PEOPLE
    clock.set(AFTER_LEASE)  # every claim a dead connection left behind has run out
    deadline = time.monotonic() + 60
    while not _whole(world, keys):
        assert time.monotonic() < deadline, "the desk did not catch up after the restart"
        time.sleep(0.1)
    world.runtime.scheduler.stop()

    stored = stored_requests(world)
    subjects = Counter(r.subject for r in stored)
    # Everyone's request is filed once. (Twice only where an apology came for a filing
    # whose commit had landed as the server stopped: the person was told to try again.)
    assert set(apologies) <= set(subjects)
    assert all(subjects[s] == 1 or apologies[s] for s in apologies), subjects
    roots = [m for m in all_roots(world) if not is_digest(m)]
    for request in stored:
        mine = [m for m in roots if request.key in str(m.get("text"))]
        assert [m["ts"] for m in mine] == [request.thread_ts], request.key
    # Each early ping went out once; no timer was given up on.
    posts = [c.params for c in world.standin.calls_to("chat.postMessage") if c.status == 200]
    reminders = {key: n for (key, kind), n in notices_in(posts).items() if kind == "reminder"}
    assert reminders == dict.fromkeys(keys, 1)
    assert _timer_states(world).get(TimerState.FAILED.value, 0) == 0
