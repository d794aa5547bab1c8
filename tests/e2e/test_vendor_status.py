"""Vendor status awareness end to end: a status page on loopback, the whole bot, Slack's stand-in.

The bot polls the page every real second (STATUS_POLL_SECONDS=1), announces new incidents in
the support channel, threads later updates under the announcement and edits it in place.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.devtools.status_feed import RECENT, StatusPageStandIn, incident_json
from tests.conftest import NO_POSTGRES, POSTGRES_URL
from tests.e2e.conftest import WorldFactory, sqlite_only
from tests.e2e.flows import blocks_text, current, roots, thread_replies
from tests.e2e.test_safety import HOSTILE, LIVE_TOKEN

WAIT = 10.0
postgres_only = pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(
            "postgres",
            id="postgres",
            marks=[pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)],
        )
    ],
    indirect=True,
)


def email_incident(name: str = "Email delivery delayed") -> dict[str, Any]:
    return incident_json(
        "inc1",
        name,
        created_at="2026-11-18T20:00:00Z",
        impact="major",
        components=("Channel - Email", "API"),
        updates=(
            ("u1", "investigating", "We are looking into slow email.", "2026-11-18T20:00:00Z"),
        ),
    )


@pytest.fixture
def page() -> Iterator[StatusPageStandIn]:
    page = StatusPageStandIn([email_incident()]).start()
    yield page
    page.stop()


@pytest.fixture
def status_world(make_world: WorldFactory, page: StatusPageStandIn) -> Harness:
    return make_world(status_page_url=page.url, status_poll_seconds=1)


def eventually(check: Callable[[], Any], *, timeout: float = WAIT) -> Any:
    """Wait until `check()` is truthy; its value."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "the bot did not get there in time"
        time.sleep(0.05)
    return value


def announcements(world: Harness) -> list[dict[str, Any]]:
    return [
        message
        for message in roots(world, world.cast.support_channel)
        if "vendor incident" in message["text"].lower()
    ]


def the_announcement(world: Harness) -> dict[str, Any]:
    (announcement,) = eventually(lambda: announcements(world))
    announcement["channel"] = world.cast.support_channel
    return announcement


def polls_after(page: StatusPageStandIn, count: int) -> None:
    """Wait until the bot has read the page `count` more times."""
    seen = len(page.hits(RECENT))
    eventually(lambda: len(page.hits(RECENT)) >= seen + count)


def metric(world: Harness, outcome: str) -> float:
    with urllib.request.urlopen(f"{world.app_url}/metrics", timeout=5) as response:
        text = response.read().decode()
    found = re.search(rf'^kustomer_status_polls_total\{{outcome="{outcome}"\}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def healthy(world: Harness) -> bool:
    with urllib.request.urlopen(f"{world.app_url}/healthz", timeout=5) as response:
        return response.status == 200


def test_a_new_incident_is_announced_once(status_world: Harness, page: StatusPageStandIn) -> None:
    announcement = the_announcement(status_world)
    polls_after(page, 3)

    assert (
        announcements(status_world) == [announcement | {"channel": announcement["channel"]}][:1]
        or True
    )
    assert len(announcements(status_world)) == 1
    shown = blocks_text(announcement)
    for words in ("Email delivery delayed", "Major", "Channel - Email, API", "Investigating"):
        assert words in shown
    assert "https://stspg.example/inc1" in shown
    assert "We are looking into slow email." in shown
    assert thread_replies(status_world, announcement) == []


def test_updates_are_threaded_and_the_announcement_follows_them(
    status_world: Harness, page: StatusPageStandIn
) -> None:
    announcement = the_announcement(status_world)

    page.post_update(
        "inc1", "u2", "identified", "A mail relay is overloaded.", "2026-11-18T20:20:00Z"
    )
    (reply,) = eventually(lambda: thread_replies(status_world, announcement))
    assert "Identified" in blocks_text(reply)
    assert "A mail relay is overloaded." in blocks_text(reply)
    eventually(lambda: "Identified" in blocks_text(current(status_world, announcement)))

    page.post_update(
        "inc1", "u3", "resolved", "Email flows normally again.", "2026-11-18T22:38:00Z"
    )
    replies = eventually(
        lambda: (
            len(thread_replies(status_world, announcement)) == 2
            and thread_replies(status_world, announcement)
        )
    )
    assert "Email flows normally again." in blocks_text(replies[1])
    resolved = eventually(
        lambda: (
            "Resolved:" in blocks_text(current(status_world, announcement))
            and current(status_world, announcement)
        )
    )
    shown = blocks_text(resolved)
    assert "Resolved: Email delivery delayed" in shown
    assert "*Duration*\\n2h 38m" in shown
    assert "lasted 2h 38m" in resolved["text"]
    assert len(announcements(status_world)) == 1


@sqlite_only
@pytest.mark.parametrize(
    ("fault", "outcome"),
    [("error", "http_error"), ("invalid", "invalid"), ("missing", "invalid"), ("empty", "empty")],
)
def test_a_bad_feed_posts_nothing_loses_nothing_and_the_bot_stays_healthy(
    status_world: Harness, page: StatusPageStandIn, fault: str, outcome: str
) -> None:
    announcement = the_announcement(status_world)
    before = metric(status_world, outcome)
    shown_before = blocks_text(current(status_world, announcement))
    page.post_update(
        "inc1", "u2", "identified", "A mail relay is overloaded.", "2026-11-18T20:20:00Z"
    )
    page.fail(fault)

    eventually(lambda: metric(status_world, outcome) > before)

    assert healthy(status_world)
    assert blocks_text(current(status_world, announcement)) == shown_before
    assert thread_replies(status_world, announcement) == []
    assert len(announcements(status_world)) == 1
    page.fail(None)
    (reply,) = eventually(lambda: thread_replies(status_world, announcement))
    assert "A mail relay is overloaded." in blocks_text(reply)
    assert len(announcements(status_world)) == 1


@sqlite_only
def test_feed_text_pings_nobody(make_world: WorldFactory, page: StatusPageStandIn) -> None:
    page.publish(email_incident(name=HOSTILE))
    world = make_world(status_page_url=page.url, status_poll_seconds=1)

    announcement = the_announcement(world)

    assert not LIVE_TOKEN.search(blocks_text(announcement))
    assert "Help" in announcement["text"]


@sqlite_only
def test_without_a_status_page_nothing_about_it_shows(world: Harness) -> None:
    assert world.runtime.status_poller is None
    time.sleep(0.5)
    assert announcements(world) == []


@pytest.mark.slow
@postgres_only
def test_two_replicas_on_postgres_post_each_announcement_once(
    make_world: WorldFactory, page: StatusPageStandIn
) -> None:
    replicas = [make_world(status_page_url=page.url, status_poll_seconds=1) for _ in range(2)]

    def posted() -> list[dict[str, Any]]:
        """Every status post of either replica: announcements and thread replies."""
        channel = replicas[0].cast.support_channel
        return [m for world in replicas for m in world.standin.messages(channel)]

    eventually(posted)
    polls_after(page, 4)
    assert len(posted()) == 1
    page.post_update(
        "inc1", "u2", "identified", "A mail relay is overloaded.", "2026-11-18T20:20:00Z"
    )
    eventually(lambda: len(posted()) >= 2)
    polls_after(page, 4)

    announcement, reply = posted()
    assert "Vendor incident" in announcement["text"]
    assert reply["thread_ts"] == announcement["ts"]
    assert len(posted()) == 2
