"""Random but reproducible request histories for checking the summed report against the tally.

Requests are filed over six weeks around the start of daylight saving time (8 March 2026),
at any hour, open or closed; each is answered or not (some exactly at their due), resolved
or not (some unanswered, some escalated, some resolved while waiting), with pauses that ran
and pauses still running. Instants carry microseconds, as Slack's timestamps do.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pendulum
from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority, RequestStatus
from bot.domain.sla import SlaPolicy

START = pendulum.datetime(2026, 2, 16, 5, 0, tz="UTC")
SPAN = timedelta(days=42)
# Instants to report at: during the history, at its end, and well after it.
REPORT_INSTANTS = (
    pendulum.datetime(2026, 3, 6, 23, 30, tz="UTC"),  # a Friday evening, closed
    pendulum.datetime(2026, 3, 11, 16, 0, tz="UTC"),
    pendulum.datetime(2026, 4, 20, 14, 0, tz="UTC"),
)
OPEN_STATUSES = (
    RequestStatus.NEW,
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING_ON_CUSTOMER,
    RequestStatus.ESCALATED_TO_DEVELOPMENT,
)


def random_history(count: int, *, policy: SlaPolicy, seed: int = 7) -> list[Request]:
    """`count` unsaved requests drawn from `seed`, in filing order."""
    rng = random.Random(seed)
    requests = [_request(rng, policy, n) for n in range(count)]
    return sorted(requests, key=lambda request: request.created_at)


def _instant(rng: random.Random, start: DateTime, span: timedelta) -> DateTime:
    micros = rng.randrange(int(span.total_seconds() * 1_000_000))
    return start + timedelta(microseconds=micros)


def _request(rng: random.Random, policy: SlaPolicy, n: int) -> Request:
    priority = rng.choice(list(Priority))
    created = _instant(rng, START, SPAN)
    due = policy.first_response_due(priority, created)
    request = Request(
        team_id="T0001",
        requester_id=f"U{n % 7:04d}",
        subject=f"R{n}: random history",
        description="Drawn for the report's equivalence tests.",
        priority=priority,
        intake_channel=IntakeChannel.CHAT,
        created_at=created,
        updated_at=created,
        first_response_due_at=due,
        account_id=rng.choice((None, 7, 8)),
        resolution_paused_seconds=rng.choice((0, 0, 0, rng.randrange(1, 200_000))),
    )
    return _lived(rng, request)


def _lived(rng: random.Random, request: Request) -> Request:
    created, due = request.created_at, request.first_response_due_at
    responded = None
    draw = rng.random()
    if draw < 0.1:
        responded = due  # exactly at the due: on time
    elif draw < 0.8:
        responded = created + (due - created) * rng.uniform(0, 2.5)
    changes: dict[str, object] = {"first_responded_at": responded}
    late = responded is not None and responded > due
    if late or (responded is None and rng.random() < 0.5):
        changes["breached_at"] = due
    end = (responded or created) + timedelta(hours=rng.uniform(0, 300))
    status = rng.choice((*OPEN_STATUSES, RequestStatus.RESOLVED, RequestStatus.RESOLVED))
    if status is RequestStatus.RESOLVED:
        changes["resolved_at"] = end
    if status is RequestStatus.ESCALATED_TO_DEVELOPMENT or rng.random() < 0.05:
        changes["escalated_to_development_at"] = created + (end - created) / 2
    if status is RequestStatus.WAITING_ON_CUSTOMER or rng.random() < 0.05:
        changes["resolution_paused_since"] = created + (end - created) * rng.random()
    return request.but(status=status, **changes)


def closing_instant_case(policy: SlaPolicy) -> Request:
    """An open request whose 4 business days run out exactly at Friday's 21:00 closing."""
    created = pendulum.datetime(2026, 3, 9, 21, 0, tz="America/New_York").in_timezone("UTC")
    return Request(
        team_id="T0001",
        requester_id="U0001",
        subject="EDGE: resolution target at a closing",
        description="Monday 21:00 plus 96 business hours is Friday 21:00, the closing.",
        priority=Priority.LOW,
        intake_channel=IntakeChannel.CHAT,
        created_at=created,
        updated_at=created,
        first_response_due_at=policy.first_response_due(Priority.LOW, created),
        status=RequestStatus.IN_PROGRESS,
        first_responded_at=created.add(minutes=5),
    )
