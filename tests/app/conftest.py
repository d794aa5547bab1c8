"""The Slack stand-in the start-up tests talk to (it answers invalid_auth to unknown tokens)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.devtools.harness import BOT_TOKEN, TEAM_ID, populate
from bot.devtools.standin import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=BOT_TOKEN, team_id=TEAM_ID) as running:
        populate(running)
        yield running
