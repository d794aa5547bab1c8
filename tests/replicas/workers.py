"""Scheduler workers as real OS processes (`python -m bot worker`) and the timers they chase."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pendulum
from pendulum import DateTime
from sqlalchemy import func
from sqlmodel import col, select

from bot.db.engine import Database
from bot.db.models import Timer, TimerState
from bot.devtools.harness import BOT_TOKEN, CAST, SIGNING_SECRET
from bot.devtools.standin import SlackStandIn
from bot.domain.model import Request
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.domain.timer_kinds import TimerKind

REPO = Path(__file__).resolve().parents[2]
# Settings a developer's shell might hold that would change what a worker does.
_SCRUBBED = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN", "BOT_CLOCK_START")


def worker_env(standin: SlackStandIn, database_url: str, **settings: object) -> dict[str, str]:
    """The environment of a worker pointed at the stand-in and the test database."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SLACK_API_URL": standin.base_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SUPPORT_CHANNEL_ID": CAST.support_channel,
            "ONCALL_CHANNEL_ID": CAST.oncall_channel,
            "ESCALATION_CHANNEL_ID": CAST.escalation_channel,
            "SUPPORT_USERGROUP_ID": CAST.support_group,
            "ONCALL_USERGROUP_ID": CAST.oncall_group,
            "SUPPORT_EMAIL": "support@kustomer.example",
            "SCHEDULER_TICK_SECONDS": "0.2",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    env.update({name.upper(): str(value) for name, value in settings.items()})
    return env


@dataclass
class Worker:
    """One `python -m bot worker` process and where its output goes."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_worker(env: dict[str, str], folder: Path, name: str) -> Worker:
    log = folder / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            env=env,
            cwd=folder,  # no stray .env from the checkout
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return Worker(process, log)


def stop(worker: Worker, timeout: float = 10.0) -> None:
    """SIGTERM (the loop ends after its tick), then SIGKILL if it does not go."""
    if worker.process.poll() is not None:
        return
    worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait(timeout)


@contextmanager
def running(env: dict[str, str], folder: Path, count: int) -> Iterator[list[Worker]]:
    """`count` workers, always stopped afterwards."""
    workers: list[Worker] = []
    try:
        for number in range(count):
            workers.append(start_worker(env, folder, f"worker{number + 1}"))
        yield workers
    finally:
        for worker in workers:
            stop(worker)


def wait_until_drained(db: Database, workers: Sequence[Worker], timeout: float) -> None:
    """Block until no timer is due and pending; fail with the workers' output otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if due_count(db) == 0:
            return
        for worker in workers:
            if worker.process.poll() is not None:
                raise AssertionError(f"a worker exited early:\n{worker.output()}")
        time.sleep(0.25)
    logs = "\n---\n".join(w.output() for w in workers)
    raise AssertionError(f"{due_count(db)} timers still due after {timeout}s:\n{logs}")


def due_count(db: Database) -> int:
    now = pendulum.now("UTC")
    with db.session() as session:
        statement = (
            select(func.count())
            .select_from(Timer)
            .where(col(Timer.state) == TimerState.PENDING.value, col(Timer.fire_at) <= now)
        )
        return int(session.exec(statement).one())


def workers_that_acted(db: Database) -> set[str]:
    """The worker ids that finished timers."""
    with db.session() as session:
        statement = select(Timer.claimed_by).where(col(Timer.state) == TimerState.DONE.value)
        return {str(worker) for worker in session.exec(statement).all()}


@dataclass(frozen=True)
class Due:
    """A request seeded with one timer due now, in a given channel."""

    kind: TimerKind
    channel: str


def seed(db: Database, standin: SlackStandIn, plan: Sequence[Due]) -> list[Request]:
    """Requests with their conversations (bot root messages in the stand-in) and due timers."""
    now = pendulum.now("UTC")
    unsaved = [_request(item, now, standin) for item in plan]
    with db.unit_of_work() as uow:
        requests = [uow.requests.add(request) for request in unsaved]
        for request, item in zip(requests, plan, strict=True):
            assert request.conversation is not None
            uow.requests.record_thread(request.id, request.conversation, request.created_at)
            fire_at, fraction = _timer(request, item, now)
            uow.timers.schedule(
                request_id=request.id,
                kind=item.kind,
                at=fire_at,
                version=request.version,
                now=now,
                fraction=fraction,
            )
    return requests


def _request(item: Due, now: DateTime, standin: SlackStandIn) -> Request:
    critical = item.kind is not TimerKind.FIRST_RESPONSE_BREACH
    created = now - (timedelta(minutes=10) if critical else timedelta(hours=3))
    target = timedelta(minutes=15) if critical else timedelta(hours=1)
    answered = item.kind is TimerKind.CRITICAL_UPDATE
    ts = standin.add_message(item.channel, user="UBOT", text="root")
    return Request(
        team_id="T0001",
        requester_id=CAST.customer,
        subject="Replica load",
        description="Seeded by the replica tests.",
        priority=Priority.CRITICAL if critical else Priority.HIGH,
        intake_channel=IntakeChannel.CHAT,
        area=AffectedArea.CHAT,
        contact=ContactPreference.THREAD,
        kind=RequestKind.PROBLEM,
        status=RequestStatus.IN_PROGRESS if answered else RequestStatus.NEW,
        slack_channel_id=item.channel,
        thread_ts=ts,
        conversation_pending=False,  # its root message is posted
        created_at=created,
        updated_at=created,
        first_response_due_at=created + target,
        first_responded_at=created + timedelta(minutes=2) if answered else None,
    )


def _timer(request: Request, item: Due, now: DateTime) -> tuple[DateTime, float | None]:
    """When the seeded timer fires (already past), and its reminder fraction."""
    fire_at = {
        TimerKind.FIRST_RESPONSE_REMINDER: request.created_at + timedelta(minutes=7.5),
        TimerKind.FIRST_RESPONSE_BREACH: request.first_response_due_at,
        TimerKind.CRITICAL_UPDATE: now - timedelta(minutes=1),
    }[item.kind]
    fraction = 0.5 if item.kind is TimerKind.FIRST_RESPONSE_REMINDER else None
    return fire_at, fraction


NOTICE_OF = {
    TimerKind.FIRST_RESPONSE_REMINDER: ("reminder",),
    TimerKind.FIRST_RESPONSE_BREACH: ("breach", "breach_escalation"),
    TimerKind.CRITICAL_UPDATE: ("update_due",),
}
