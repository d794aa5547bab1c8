"""Back after downtime: one breach notice per request, digests, and Slack's rate kept.

Pacing is real here (1 s per channel), as in production.
"""

from __future__ import annotations

import pendulum
import pytest

from bot.clock import ManualClock
from bot.domain.requests import IntakeChannel, Priority
from bot.runtime import build_runtime
from bot.services.filing import RequestDraft, file_request
from tests.e2e.conftest import WorldFactory
from tests.e2e.timer_steps import gaps, is_digest, notices_in

REQUESTS = 200
# Slack's limit is about one message per second per channel; allow for timer jitter.
MIN_GAP = 0.99
IMPACTS = (Priority.LOW, Priority.MEDIUM, Priority.HIGH)


@pytest.mark.slow
def test_after_downtime_each_request_gets_one_breach_in_paced_digests(
    make_world: WorldFactory, clock: ManualClock
) -> None:
    # Before the downtime the 200 requests were filed over hours, each conversation opened
    # when it came in: seed that quickly, with pacing and Slack's limits out of the way.
    world = make_world(channel_pace_seconds=0, workspace_posts_per_minute=0)
    world.standin.set_rate_limits(False)
    desk = world.runtime.desk
    keys = []
    for number in range(REQUESTS):
        # The service the modal submission calls: 200 filings over HTTP would only be slow.
        draft = RequestDraft(
            team_id="T0001",
            requester_id=world.cast.admin,
            subject=f"Outage report {number}",
            description="Agents cannot log in.",
            priority=IMPACTS[number % 3],
            intake_channel=IntakeChannel.CHAT,
        )
        keys.append(file_request(desk, draft=draft, delivery_key=f"load:{number}").request.key)

    # The app is down from 15:00 until 20:00: every ping and every target passes meanwhile.
    clock.set(pendulum.datetime(2026, 11, 18, 20, 0, tz="America/New_York"))
    before = len(world.standin.calls_to("chat.postMessage"))
    started = {c: len(world.standin.post_times(c)) for c in _channels(world)}
    world.standin.set_rate_limits(True)
    paced = world.settings.model_copy(
        update={"channel_pace_seconds": 1.0, "workspace_posts_per_minute": 240}
    )
    restarted = build_runtime(paced, clock=clock)
    try:
        for _ in range(100):
            if not restarted.scheduler.tick().claimed:
                break
    finally:
        restarted.close()

    posts = [call.params for call in world.standin.calls_to("chat.postMessage")[before:]]
    assert notices_in(posts) == {
        (key, kind): 1 for key in keys for kind in ("breach", "breach_escalation")
    }
    support = [p for p in posts if p["channel"] == world.cast.support_channel]
    assert len(support) <= REQUESTS // 20
    assert sum(is_digest(p) for p in support) >= 3
    for channel, skip in started.items():
        assert min(gaps(world.standin.post_times(channel)[skip:]), default=1.0) >= MIN_GAP


def _channels(world: object) -> list[str]:
    cast = world.cast  # type: ignore[attr-defined]
    return [cast.support_channel, cast.escalation_channel]
