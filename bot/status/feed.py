"""Reads a Statuspage-compatible feed over HTTP (the `StatusFeed` port), politely.

Each listing is fetched with `If-None-Match` / `If-Modified-Since` when the feed gave an
ETag / Last-Modified; a 304 replays the listing last read. Every failure leaves as a
`FeedProblem` saying what went wrong, so the poller can keep the last good state.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.domain.incidents import Incident
from bot.domain.status_feed import FeedInvalid, parse_listing
from bot.services.status_ports import FeedFault, FeedProblem, FeedSnapshot

RECENT_PATH = "api/v2/incidents.json"
UNRESOLVED_PATH = "api/v2/incidents/unresolved.json"
TIMEOUT_SECONDS = 10.0
USER_AGENT = "kustomer-support-bot (status poller)"


@dataclass(frozen=True)
class _Cached:
    """A listing as last read, with the validators to ask whether it changed."""

    incidents: tuple[Incident, ...]
    etag: str | None
    last_modified: str | None


class StatuspageFeed:
    """incidents.json and unresolved.json of one status page."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = TIMEOUT_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
            transport=transport,
        )
        self._cache: dict[str, _Cached] = {}

    def fetch(self) -> FeedSnapshot:
        """Both listings; FeedProblem when either cannot be read or trusted."""
        recent, recent_same = self._listing(RECENT_PATH)
        unresolved, unresolved_same = self._listing(UNRESOLVED_PATH)
        return FeedSnapshot(recent, unresolved, unchanged=recent_same and unresolved_same)

    def close(self) -> None:
        self._client.close()

    def _listing(self, path: str) -> tuple[tuple[Incident, ...], bool]:
        """A listing and whether the feed said it had not changed (304)."""
        url = self.base_url + path
        cached = self._cache.get(path)
        response = self._get(url, cached)
        if response.status_code == 304 and cached is not None:
            return cached.incidents, True
        if response.status_code != 200:
            raise FeedProblem(FeedFault.HTTP_ERROR, f"{path} answered HTTP {response.status_code}")
        try:
            incidents = parse_listing(response.content)
        except FeedInvalid as invalid:
            raise FeedProblem(FeedFault.INVALID, f"{path}: {invalid.reason}") from None
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        self._cache[path] = _Cached(incidents, etag, modified)
        return incidents, False

    def _get(self, url: str, cached: _Cached | None) -> httpx.Response:
        headers: dict[str, str] = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        try:
            return self._client.get(url, headers=headers)
        except httpx.TimeoutException:
            raise FeedProblem(FeedFault.TIMEOUT, f"{url} did not answer in time") from None
        except httpx.HTTPError as error:
            reason = f"{url}: {type(error).__name__}: {error}"
            raise FeedProblem(FeedFault.NETWORK, reason) from None
