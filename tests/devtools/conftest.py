"""Fixtures for the devtools tests: a running stand-in and a WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.devtools import SlackStandIn
from tests.devtools.fake_app import FakeApp, running_fake_app

TOKEN = "xoxb-test"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A started stand-in with a few people, a user group and the support channel."""
    with SlackStandIn(
        bot_token=TOKEN,
        users=[
            {"id": "UADMIN", "name": "ada", "is_admin": True, "tz": "America/New_York"},
            {"id": "UENG", "name": "eng", "tz": "Europe/Berlin", "email": "eng@example.com"},
        ],
        usergroups={"SSUPPORT": ["UENG"]},
    ) as running:
        running.add_channel("C_SUPPORT", "support")
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    """A slack_sdk WebClient talking to the stand-in."""
    return WebClient(token=TOKEN, base_url=standin.base_url, timeout=5)


@pytest.fixture
def app() -> Iterator[FakeApp]:
    """A fake app endpoint that records the driver's signed requests."""
    with running_fake_app() as running:
        yield running
