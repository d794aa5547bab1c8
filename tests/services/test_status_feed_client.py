"""The feed client: what each HTTP answer becomes, and the conditional requests it makes."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from bot.devtools.status_feed import incident_json
from bot.services.status_ports import FeedFault, FeedProblem
from bot.status.feed import RECENT_PATH, UNRESOLVED_PATH, StatuspageFeed

LISTING = json.dumps(
    {"incidents": [incident_json("inc1", "Email slow", created_at="2026-11-18T20:00:00Z")]}
).encode()


def feed_answering(handler: httpx.MockTransport) -> StatuspageFeed:
    return StatuspageFeed("https://status.example.com/", transport=handler)


def test_both_listings_are_read_from_the_page_base() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, content=LISTING)

    snapshot = feed_answering(httpx.MockTransport(answer)).fetch()

    assert asked == [
        f"https://status.example.com/{RECENT_PATH}",
        f"https://status.example.com/{UNRESOLVED_PATH}",
    ]
    assert [i.id for i in snapshot.recent] == ["inc1"]
    assert snapshot.unchanged is False


def test_last_modified_alone_is_sent_back_and_a_304_replays_the_listing() -> None:
    seen: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        if "if-modified-since" in request.headers:
            return httpx.Response(304)
        return httpx.Response(
            200, content=LISTING, headers={"Last-Modified": "Wed, 18 Nov 2026 20:00:00 GMT"}
        )

    feed = feed_answering(httpx.MockTransport(answer))
    first, second = feed.fetch(), feed.fetch()

    assert "if-none-match" not in seen[2]
    assert seen[2]["if-modified-since"] == "Wed, 18 Nov 2026 20:00:00 GMT"
    assert second.unchanged is True
    assert second.recent == first.recent


@pytest.mark.parametrize(
    ("status", "fault"),
    [
        (500, FeedFault.HTTP_ERROR),
        (503, FeedFault.HTTP_ERROR),
        (404, FeedFault.HTTP_ERROR),
        (304, FeedFault.HTTP_ERROR),
    ],
)
def test_an_answer_other_than_200_or_a_usable_304_is_a_problem(
    status: int, fault: FeedFault
) -> None:
    feed = feed_answering(httpx.MockTransport(lambda _: httpx.Response(status)))

    with pytest.raises(FeedProblem) as raised:
        feed.fetch()

    assert raised.value.fault is fault
    assert f"HTTP {status}" in raised.value.reason


def test_a_refused_connection_is_a_network_problem() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    feed = StatuspageFeed(f"http://127.0.0.1:{port}", timeout=1.0)

    with pytest.raises(FeedProblem) as raised:
        feed.fetch()
    feed.close()

    assert raised.value.fault is FeedFault.NETWORK


def test_a_timeout_is_a_timeout() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FeedProblem) as raised:
        feed_answering(httpx.MockTransport(hang)).fetch()

    assert raised.value.fault is FeedFault.TIMEOUT
