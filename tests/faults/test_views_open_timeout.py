"""Slack hanging on views.open past the client's timeout: the person is told, not left waiting.

After `/kustomer-support` the app acks at once and asks Slack to open the form. When Slack
does not answer within the client's timeout (10 s), the app says so through the command's
response_url: that answer reaches the person in any channel, even one the bot is not in.
"""

from __future__ import annotations

import io
import time

import pytest

from bot.devtools.harness import Harness
from bot.slack.ids import COMMAND
from tests.e2e.flows import settle
from tests.faults.conftest import WorldFactory

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]

CLIENT_TIMEOUT = 10.0  # bot.slack.app.make_client
HANG = CLIENT_TIMEOUT + 4  # Slack answers only after the client gave up


@pytest.fixture
def world(make_world: WorldFactory, sqlite_url: str, app_log: io.StringIO) -> Harness:
    return make_world(sqlite_url)


def _wait_for_response(world: Harness, timeout: float) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while not world.standin.responses() and time.monotonic() < deadline:
        time.sleep(0.05)
    return world.standin.responses()


def test_a_form_slack_cannot_open_in_time_earns_a_reply_not_silence(
    world: Harness, app_log: io.StringIO
) -> None:
    # Typed in a channel the bot is not in: an ephemeral post could not reach the person there.
    channel = "C0ELSEWHERE"
    world.standin.add_channel(channel, "elsewhere", is_member=False)
    world.standin.stall_next("views.open", HANG)

    started = time.monotonic()
    typed = world.driver.slash_command(user_id=world.cast.admin, channel_id=channel)
    [reply] = _wait_for_response(world, timeout=CLIENT_TIMEOUT + 15)
    waited = time.monotonic() - started

    assert typed.status == 200 and typed.elapsed < 3  # acked at once, as Slack needs
    assert CLIENT_TIMEOUT - 1 <= waited <= CLIENT_TIMEOUT + 10
    assert reply["response_type"] == "ephemeral"
    assert "did not open" in str(reply["text"]) and f"`{COMMAND}` again" in str(reply["text"])
    assert world.runtime.listeners.wait_idle(HANG)
    settle(world)
    # One answer, no apology on top of it, and a warning rather than an error with a trace.
    assert world.standin.ephemerals() == [] and len(world.standin.responses()) == 1
    assert "the filing modal did not open" in app_log.getvalue()
    assert " ERROR bot." not in app_log.getvalue()
