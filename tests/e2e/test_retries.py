"""Slack's retries: an interaction handled once is not handled again; refusals say "no retry".

Slack re-sends a request it thinks went unanswered with `X-Slack-Retry-Num`, the same body
and a fresh signature. Retried reply events are in test_safety.py, retried emails in
test_email_intake.py; this module covers clicks, slash commands and modal submissions.
"""

from __future__ import annotations

from typing import Any

from bot.devtools.driver import DriverResponse, SlackDriver
from bot.devtools.harness import SIGNING_SECRET, Harness
from bot.slack.ids import Action
from tests.e2e.conftest import sqlite_only
from tests.e2e.flows import (
    all_roots,
    command,
    file,
    filing_values,
    open_modal,
    settle,
    stored_requests,
)

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


class RecordingDriver(SlackDriver):
    """The harness's driver that also keeps every body it sent, to send it again."""

    def __init__(self, world: Harness) -> None:
        super().__init__(
            base_url=world.driver.base_url,
            signing_secret=SIGNING_SECRET,
            team_id=world.driver.team_id,
            response_url_base=world.standin.response_url_base,
        )
        self.sent: list[tuple[bytes, str]] = []

    def raw(self, body: bytes, content_type: str, **kwargs: Any) -> DriverResponse:
        self.sent.append((body, content_type))
        return super().raw(body, content_type, **kwargs)

    def retry_last(self) -> DriverResponse:
        """Slack's retry of the last request: same body, signed anew, with the retry headers."""
        body, content_type = self.sent[-1]
        return super().raw(body, content_type, headers=RETRY)


def _header(answer: DriverResponse, name: str) -> str | None:
    return next((v for k, v in answer.headers.items() if k.lower() == name.lower()), None)


def test_a_retried_click_acts_once(world: Harness) -> None:
    root = file(world, world.cast.admin)
    driver = RecordingDriver(world)
    message = {k: v for k, v in root.items() if k != "channel"}
    first = driver.block_action(
        user_id=world.cast.admin,
        action_id=Action.REPORT_ANOTHER,
        channel_id=root["channel"],
        message=message,
    )
    world.standin.wait_for("views.open", count=2)
    settle(world)
    calls = len(world.standin.calls)

    again = driver.retry_last()

    assert (first.status, again.status) == (200, 200)
    assert again.body == ""
    settle(world)
    # Acting again would open the modal on a spent trigger id, and apologise for failing.
    assert len(world.standin.calls) == calls
    assert world.standin.ephemerals() == []


def test_a_retried_slash_command_opens_one_modal(world: Harness) -> None:
    driver = RecordingDriver(world)
    driver.slash_command(user_id=world.cast.admin, channel_id=world.cast.support_channel)
    world.standin.wait_for("views.open")
    settle(world)

    again = driver.retry_last()

    assert again.status == 200
    settle(world)
    # The trigger id is spent: opening again would fail and earn the person an apology.
    assert len(world.standin.calls_to("views.open")) == 1
    assert world.standin.ephemerals() == []


def test_a_retried_submission_files_once(world: Harness) -> None:
    view = open_modal(world, world.cast.admin)
    driver = RecordingDriver(world)
    driver.view_submission(user_id=world.cast.admin, view=view, values=filing_values())
    world.standin.wait_for("chat.postMessage", count=2)
    settle(world)
    posts = len(world.standin.calls_to("chat.postMessage"))

    again = driver.retry_last()

    assert again.status == 200 and again.body in ("", "{}")
    settle(world)
    assert len(stored_requests(world)) == 1
    assert len(all_roots(world)) == 1
    assert len(world.standin.calls_to("chat.postMessage")) == posts


@sqlite_only
def test_refusals_ask_slack_not_to_retry(world: Harness) -> None:
    driver = world.driver
    answers = {
        "signed, but Bolt cannot read it": driver.raw(b'{"event": null}', "application/json"),
        "signed, not UTF-8": driver.raw(b"payload=\xff\xfe", "application/x-www-form-urlencoded"),
        "unsigned junk": driver.raw(b"\xff\xfe", "application/json", signature="v0=0"),
        "a button that is not ours": driver.block_action(
            user_id=world.cast.admin, action_id="not_ours", channel_id=world.cast.support_channel
        ),
    }
    help_answer = command(world, world.cast.admin, "help")

    assert {k: a.status for k, a in answers.items()} == {
        "signed, but Bolt cannot read it": 400,
        "signed, not UTF-8": 400,
        "unsigned junk": 401,
        "a button that is not ours": 404,
    }
    assert {k: _header(a, "X-Slack-No-Retry") for k, a in answers.items()} == dict.fromkeys(
        answers, "1"
    )
    assert all(len(a.body) <= 200 for a in answers.values())
    assert _header(help_answer, "X-Slack-No-Retry") is None
    settle(world)
    assert [c.method for c in world.standin.calls if c.method != "auth.test"] == []
