"""The clock jumping a whole day forward (a host suspended overnight): one notice per
request and kind, no storm.

Forty open requests, ten of each impact, are filed on Wednesday at 15:00; five of the
Critical ones are answered. Then the desk's clock jumps to Thursday 15:00 and the scheduler
catches up. By the policy every unanswered request has missed its first-response target:
it gets one breach notice and one escalation, and none of the reminders it slept through.
Each answered Critical gets one update nudge, not the 48 it missed, and its cadence starts
again from the jump.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority
from bot.services.filing import RequestDraft, file_request
from tests.e2e.flows import reply, settle, stored
from tests.e2e.timer_steps import notices_in, run_until
from tests.faults.conftest import OPEN_WEDNESDAY, WorldFactory

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

PER_IMPACT = 10
ANSWERED = 5  # Critical requests with a first response: they are owed update nudges
NEXT_DAY = OPEN_WEDNESDAY + timedelta(days=1)
UPDATE_CADENCE = timedelta(minutes=30)
# What an unanswered request is owed once past its target: the breach, and its escalation.
BREACHED = ("breach", "breach_escalation")


@pytest.fixture
def world(make_world: WorldFactory, database: str, app_log: io.StringIO) -> Harness:
    harness = make_world(database, channel_pace_seconds=0)
    harness.standin.set_rate_limits(False)  # the backlog's pace is test_timers_downtime's
    return harness


def _file_many(world: Harness) -> list[Request]:
    filed = []
    for number in range(PER_IMPACT * len(Priority)):
        draft = RequestDraft(
            team_id="T0001",
            requester_id=world.cast.admin,
            subject=f"Request {number}",
            description="Filed before the host slept.",
            priority=list(Priority)[number % len(Priority)],
            intake_channel=IntakeChannel.CHAT,
        )
        filed.append(file_request(world.runtime.desk, draft=draft, delivery_key=f"jump:{number}"))
    return [f.request for f in filed]


def test_a_day_jump_brings_one_notice_per_request_and_kind(
    world: Harness, clock: ManualClock
) -> None:
    requests = _file_many(world)
    critical = [r for r in requests if r.priority is Priority.CRITICAL]
    answered = {r.key for r in critical[:ANSWERED]}
    for request in critical[:ANSWERED]:
        assert request.conversation is not None
        root = {"channel": request.slack_channel_id, "ts": request.thread_ts}
        reply(world, root, world.cast.oncall, "On it.")
    settle(world)
    assert all(stored(world, r.id or 0).first_responded_at for r in critical[:ANSWERED])

    caught_up = run_until(world, clock, NEXT_DAY)

    seen = notices_in(caught_up)
    assert max(seen.values()) == 1, [k for k, n in seen.items() if n > 1]
    kinds = {r.key: ("update_due",) if r.key in answered else BREACHED for r in requests}
    assert seen == Counter({(key, kind): 1 for key, due in kinds.items() for kind in due})
    # No storm in the channels either: 75 notices arrive in digests, not a post each.
    assert len(caught_up) <= sum(seen.values()) // 6, len(caught_up)

    # The cadence starts again from the jump: one more nudge each, half an hour on.
    assert run_until(world, clock, NEXT_DAY + UPDATE_CADENCE - timedelta(seconds=1)) == []
    nudged = notices_in(run_until(world, clock, NEXT_DAY + UPDATE_CADENCE))
    assert nudged == Counter({(key, "update_due"): 1 for key in answered})
