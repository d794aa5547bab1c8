"""The status poller: one replica polls, failures back off, are logged once and counted."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY

from bot.db.engine import Database
from bot.devtools.status_feed import StatusPageStandIn, incident_json
from bot.domain.status_feed import parse_listing
from bot.services.status_announce import announce_owed
from bot.services.status_poll import record_incidents
from bot.status.feed import StatuspageFeed
from bot.status.poller import BACKOFF_CAP_SECONDS, StatusPoller
from tests.services.status_fakes import FakeChannel
from tests.services.test_status_poll import NOW, email_incident


class Ticker:
    """Real-seconds time the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def page() -> Iterator[StatusPageStandIn]:
    page = StatusPageStandIn([email_incident()]).start()
    yield page
    page.stop()


def make_poller(
    database: Database, page: StatusPageStandIn, ticker: Ticker, channel: FakeChannel, name: str
) -> StatusPoller:
    feed = StatuspageFeed(page.url, timeout=1.0)
    return StatusPoller(
        db=database, feed=feed, announcer=channel, interval=300, holder=name, now=ticker
    )


def polls(outcome: str) -> float:
    return REGISTRY.get_sample_value("kustomer_status_polls_total", {"outcome": outcome}) or 0.0


def failures_gauge() -> float | None:
    return REGISTRY.get_sample_value("kustomer_status_poll_consecutive_failures")


def test_the_wait_doubles_after_each_failure_up_to_a_cap(database: Database) -> None:
    poller = StatusPoller(db=database, feed=None, announcer=None, interval=300)  # type: ignore[arg-type]

    waits = [poller.backoff(n) for n in range(6)]

    assert waits == [300, 600, 1200, BACKOFF_CAP_SECONDS, BACKOFF_CAP_SECONDS, BACKOFF_CAP_SECONDS]
    fast = StatusPoller(db=database, feed=None, announcer=None, interval=1)  # type: ignore[arg-type]
    assert [fast.backoff(n) for n in (0, 1, 2, 3, 40)] == [1, 2, 4, 8, BACKOFF_CAP_SECONDS]
    slow = StatusPoller(db=database, feed=None, announcer=None, interval=7200)  # type: ignore[arg-type]
    assert slow.backoff(3) == 7200  # never shorter than the interval itself


def test_a_failure_streak_is_logged_once_counted_and_backs_off(
    database: Database, page: StatusPageStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    ticker, channel = Ticker(), FakeChannel()
    poller = make_poller(database, page, ticker, channel, "a")
    errors_before, ok_before = polls("http_error"), polls("ok")
    page.fail("error")

    with caplog.at_level(logging.INFO, logger="bot.status.poller"):
        waits = [poller.poll() for _ in range(3)]
        page.fail(None)
        recovered = poller.poll()
    poller.feed.close()

    assert waits == [600, 1200, BACKOFF_CAP_SECONDS]
    assert recovered == 300
    assert polls("http_error") - errors_before == 3
    assert polls("ok") - ok_before == 1
    assert failures_gauge() == 0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "http_error" in warnings[0].getMessage()
    assert "HTTP 500" in warnings[0].getMessage()
    assert "answers again after 3 failed polls" in caplog.text
    assert channel.posts == [("announce", "inc1", "investigating")]


def test_the_gauge_shows_the_failures_in_a_row(database: Database, page: StatusPageStandIn) -> None:
    poller = make_poller(database, page, Ticker(), FakeChannel(), "a")
    page.fail("invalid")
    poller.poll()
    poller.poll()
    poller.feed.close()

    assert failures_gauge() == 2


def test_only_the_lease_holder_polls_until_its_lease_runs_out(
    database: Database, page: StatusPageStandIn
) -> None:
    ticker, channel = Ticker(), FakeChannel()
    first = make_poller(database, page, ticker, channel, "replica-1")
    second = make_poller(database, page, ticker, channel, "replica-2")

    first.poll()
    hits = len(page.requests)
    assert second.poll() == 300  # standing by
    assert len(page.requests) == hits
    ticker.now += first.backoff(1) + 120 + 1  # the holder died: its lease runs out
    second.poll()
    assert len(page.requests) > hits
    assert channel.posts == [("announce", "inc1", "investigating")]
    first.feed.close()
    second.feed.close()


def test_a_stopped_poller_hands_over_at_once(database: Database, page: StatusPageStandIn) -> None:
    ticker, channel = Ticker(), FakeChannel()
    first = make_poller(database, page, ticker, channel, "replica-1")
    second = make_poller(database, page, ticker, channel, "replica-2")
    first.start()
    first.stop()  # ends its loop, gives the lease back and closes its feed

    hits = len(page.requests)
    second.poll()
    second.feed.close()

    assert len(page.requests) > hits


def test_a_poller_thread_polls_in_real_seconds(database: Database, page: StatusPageStandIn) -> None:
    channel = FakeChannel()
    poller = StatusPoller(
        db=database, feed=StatuspageFeed(page.url, timeout=1.0), announcer=channel, interval=1
    )
    poller.start()
    try:
        seen = threading.Event()
        for _ in range(100):
            if channel.posts:
                seen.set()
                break
            threading.Event().wait(0.05)
    finally:
        poller.stop()
    assert seen.is_set()


@pytest.mark.postgres
def test_two_replicas_announcing_at_once_post_once(postgres_url: str) -> None:
    from bot.db.migrate import upgrade

    upgrade(postgres_url)
    database = Database.from_url(postgres_url)
    try:
        listing = parse_listing(json.dumps({"incidents": [email_incident()]}))
        record_incidents(database, listing, now=NOW)
        channel = FakeChannel(delay=0.3)
        threads = [
            threading.Thread(target=announce_owed, args=(database, channel)) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        database.dispose()
    assert channel.posts == [("announce", "inc1", "investigating")]


def test_two_pollers_racing_on_one_database_announce_once(database: Database) -> None:
    page = StatusPageStandIn(
        [email_incident(), incident_json("inc2", "API slow", created_at="2026-11-18T20:02:00Z")]
    ).start()
    channel = FakeChannel(delay=0.05)
    pollers = [
        StatusPoller(
            db=database, feed=StatuspageFeed(page.url, timeout=1.0), announcer=channel, interval=1
        )
        for _ in range(3)
    ]
    try:
        for poller in pollers:
            poller.start()
        for _ in range(200):
            if len(channel.posts) >= 2:
                break
            threading.Event().wait(0.05)
        threading.Event().wait(1.5)  # time for a wrong second post to show
    finally:
        for poller in pollers:
            poller.stop()
        page.stop()
    assert sorted(channel.posts) == [
        ("announce", "inc1", "investigating"),
        ("announce", "inc2", "investigating"),
    ]


class BrokenFeed:
    """A feed client with a bug in it."""

    def fetch(self) -> None:
        raise RuntimeError("a bug")

    def close(self) -> None:
        pass


def test_an_unexpected_error_is_counted_logged_once_with_its_trace_and_retried(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    poller = StatusPoller(
        db=database,
        feed=BrokenFeed(),
        announcer=FakeChannel(),
        interval=300,
        now=Ticker(),  # type: ignore[arg-type]
    )
    before = polls("error")

    waits = [poller.poll(), poller.poll()]

    assert waits == [600, 1200]
    assert polls("error") - before == 2
    (record,) = [r for r in caplog.records if r.name == "bot.status.poller"]
    assert "RuntimeError: a bug" in record.getMessage()
    assert record.exc_info is not None
