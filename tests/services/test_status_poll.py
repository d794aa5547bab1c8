"""A poll of the vendor's status page: what it stores and what the support channel hears.

The feed is the loopback status page (bot/devtools/status_feed.py) read over real HTTP;
the channel is a fake. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

from bot.db.engine import Database
from bot.devtools.status_feed import RECENT, StatusPageStandIn, incident_json
from bot.services.ports import DeliveryFailed
from bot.services.status_announce import MAX_ATTEMPTS
from bot.services.status_poll import PollReport, poll_feed
from bot.services.status_ports import FeedFault, FeedProblem
from bot.services.status_queries import active_incidents, incident_history
from bot.status.feed import StatuspageFeed
from tests.services.status_fakes import FakeChannel

NOW = pendulum.datetime(2026, 11, 18, 20, 5)
OLD = incident_json(
    "old1",
    "Chat widget slow",
    created_at="2026-10-01T10:00:00Z",
    status="resolved",
    resolved_at="2026-10-01T11:00:00Z",
    updates=(("o1", "resolved", "Fixed.", "2026-10-01T11:00:00Z"),),
)


def email_incident() -> dict[str, object]:
    return incident_json(
        "inc1",
        "Email delivery delayed",
        created_at="2026-11-18T20:00:00Z",
        impact="major",
        components=("Channel - Email",),
        updates=(("u1", "investigating", "Looking into it.", "2026-11-18T20:00:00Z"),),
    )


@pytest.fixture
def page() -> Iterator[StatusPageStandIn]:
    page = StatusPageStandIn([OLD, email_incident()]).start()
    yield page
    page.stop()


@pytest.fixture
def feed(page: StatusPageStandIn) -> Iterator[StatuspageFeed]:
    feed = StatuspageFeed(page.url, timeout=1.0)
    yield feed
    feed.close()


def poll(database: Database, feed: StatuspageFeed, channel: FakeChannel) -> PollReport:
    return poll_feed(database, feed, channel, now=NOW)


def test_a_new_incident_is_announced_once_and_history_is_kept_quiet(
    database: Database, feed: StatuspageFeed
) -> None:
    channel = FakeChannel()

    first = poll(database, feed, channel)
    again = poll(database, feed, channel)

    assert (first.outcome, first.stored, first.announced.announced) == ("ok", 2, 1)
    assert (again.outcome, again.stored) == ("not_modified", 0)
    assert channel.posts == [("announce", "inc1", "investigating")]
    assert [i.id for i in active_incidents(database)] == ["inc1"]
    assert [i.id for i in incident_history(database, now=NOW).incidents] == ["inc1", "old1"]


def test_the_feed_is_asked_whether_it_changed(
    database: Database, feed: StatuspageFeed, page: StatusPageStandIn
) -> None:
    channel = FakeChannel()
    poll(database, feed, channel)
    poll(database, feed, channel)

    (first_headers, first_status), (second_headers, second_status) = page.hits(RECENT)
    assert "if-none-match" not in first_headers
    assert first_status == 200
    assert second_headers["if-none-match"].startswith('"')
    assert second_headers["if-modified-since"].endswith("GMT")
    assert second_status == 304


def test_later_updates_are_thread_replies_and_the_announcement_follows(
    database: Database, feed: StatuspageFeed, page: StatusPageStandIn
) -> None:
    channel = FakeChannel()
    poll(database, feed, channel)
    page.post_update("inc1", "u2", "identified", "A relay is down.", "2026-11-18T20:20:00Z")
    poll(database, feed, channel)
    page.post_update("inc1", "u3", "resolved", "All clear.", "2026-11-18T22:38:00Z")
    report = poll(database, feed, channel)

    assert channel.posts == [
        ("announce", "inc1", "investigating"),
        ("reply", "inc1", "identified"),
        ("refresh", "inc1", "identified"),
        ("reply", "inc1", "resolved"),
        ("refresh", "inc1", "resolved"),
    ]
    assert (report.announced.replied, report.announced.refreshed) == (1, 1)
    (shown,) = channel.shown.values()
    assert shown.resolved_at == pendulum.datetime(2026, 11, 18, 22, 38)
    assert active_incidents(database) == []
    history = incident_history(database, now=NOW)
    assert history.downtime.total_seconds() == (2 * 60 + 38 + 60) * 60  # and the old 1h one


def test_an_incident_that_came_and_went_between_polls_is_still_announced(
    database: Database, feed: StatuspageFeed, page: StatusPageStandIn
) -> None:
    channel = FakeChannel()
    poll(database, feed, channel)
    page.publish(
        incident_json(
            "blip",
            "API errors",
            created_at="2026-11-18T20:01:00Z",
            status="resolved",
            resolved_at="2026-11-18T20:04:00Z",
            updates=(("b1", "resolved", "Over.", "2026-11-18T20:04:00Z"),),
        )
    )
    poll(database, feed, channel)

    assert channel.kinds("announce") == [("inc1", "investigating"), ("blip", "resolved")]


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        ("error", FeedFault.HTTP_ERROR),
        ("hang", FeedFault.TIMEOUT),
        ("invalid", FeedFault.INVALID),
        ("missing", FeedFault.INVALID),
        ("empty", FeedFault.EMPTY),
    ],
)
def test_a_bad_feed_changes_nothing_and_posts_nothing(
    database: Database,
    feed: StatuspageFeed,
    page: StatusPageStandIn,
    fault: str,
    outcome: FeedFault,
) -> None:
    channel = FakeChannel()
    poll(database, feed, channel)
    before = incident_history(database, now=NOW)
    page.post_update("inc1", "u2", "identified", "A relay is down.", "2026-11-18T20:20:00Z")
    page.fail(fault)

    with pytest.raises(FeedProblem) as raised:
        poll(database, feed, channel)

    assert raised.value.fault is outcome
    assert incident_history(database, now=NOW) == before
    assert channel.posts == [("announce", "inc1", "investigating")]
    page.fail(None)
    poll(database, feed, channel)  # the feed recovers: the update arrives once
    assert channel.kinds("reply") == [("inc1", "identified")]


def test_an_empty_first_feed_is_a_vendor_without_incidents(database: Database) -> None:
    page = StatusPageStandIn([]).start()
    feed = StatuspageFeed(page.url, timeout=1.0)
    try:
        report = poll(database, feed, FakeChannel())
    finally:
        feed.close()
        page.stop()
    assert (report.outcome, report.stored) == ("ok", 0)


def test_a_slack_failure_leaves_the_announcement_owed(
    database: Database, feed: StatuspageFeed
) -> None:
    channel = FakeChannel(fail_next=[DeliveryFailed("ratelimited", retry_after=1)])

    first = poll(database, feed, channel)
    second = poll(database, feed, channel)

    assert (first.announced.failed, first.announced.announced) == (1, 0)
    assert second.announced.announced == 1
    assert channel.posts == [("announce", "inc1", "investigating")]


def test_an_announcement_slack_keeps_refusing_is_given_up_and_reported(
    database: Database, feed: StatuspageFeed, caplog: pytest.LogCaptureFixture
) -> None:
    channel = FakeChannel(fail_next=[DeliveryFailed("boom") for _ in range(MAX_ATTEMPTS)])

    for _ in range(MAX_ATTEMPTS + 2):
        poll(database, feed, channel)

    assert channel.posts == []
    assert channel.fail_next == []
    assert "gave up trying to announce vendor incident inc1" in caplog.text


def test_a_permanent_slack_failure_is_given_up_at_once(
    database: Database, feed: StatuspageFeed
) -> None:
    channel = FakeChannel(fail_next=[DeliveryFailed("channel_not_found", permanent=True)])

    poll(database, feed, channel)
    poll(database, feed, channel)

    assert channel.posts == []
