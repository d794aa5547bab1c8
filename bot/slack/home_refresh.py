"""Publishes App Home tabs: when someone opens theirs, and when one of their requests changes."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from concurrent.futures import Executor

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.desk import Records
from bot.services.home import Home, homes
from bot.slack.phrases import clock_state
from bot.slack.surfaces.blocks import Json
from bot.slack.surfaces.home import home_view

log = logging.getLogger(__name__)

# Email-intake requesters can be bots (B...) or "unknown": only people have a Home tab.
_PERSON = re.compile(r"^[UW][A-Z0-9_]{2,31}$")


class HomePublisher:
    """Builds each person's Home from the desk and publishes it with views.publish."""

    def __init__(self, *, client: WebClient, records: Records) -> None:
        self.client = client
        self.records = records
        # Two threads publishing the same Home could land out of order; building and
        # publishing under one lock makes the newest state the last one published.
        self._lock = threading.Lock()

    def publish(self, user_ids: Iterable[str]) -> None:
        """Publish the Home of each person; a Slack refusal for one does not stop the rest."""
        people = [user_id for user_id in dict.fromkeys(user_ids) if _PERSON.match(user_id)]
        if not people:
            return
        with self._lock:
            vendor = self.records.vendor_status
            for home in homes(self.records, user_ids=people, vendor=vendor):
                try:
                    self.client.views_publish(user_id=home.user_id, view=self.view(home))
                except SlackApiError as error:
                    log.warning(
                        "could not publish the Home of %s: %s",
                        home.user_id,
                        error.response.get("error"),
                    )

    def view(self, home: Home) -> Json:
        """The Home view, each request's clock state as of the Home's instant."""
        policy = self.records.policy
        return home_view(
            home, state=lambda request: clock_state(request, policy=policy, now=home.now)
        )


class HomeRefreshQueue:
    """Republishes Homes off the path of the change that caused it, coalescing bursts.

    A change only marks people whose Home is stale; one job on `executor` publishes all of
    them, each once, however many changes marked them meanwhile. So a burst of filings
    neither waits for views.publish nor spends Slack's views.publish budget per filing.
    """

    def __init__(self, publisher: HomePublisher, executor: Executor) -> None:
        self._publisher = publisher
        self._executor = executor
        self._lock = threading.Lock()
        self._stale: dict[str, None] = {}
        self._queued = False

    def refresh_soon(self, user_ids: Iterable[str]) -> None:
        """Mark these Homes stale; they are republished shortly, once each."""
        with self._lock:
            self._stale.update(dict.fromkeys(user_ids))
            if self._queued or not self._stale:
                return
            self._queued = True
        self._executor.submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                people = list(self._stale)
                self._stale.clear()
                if not people:
                    self._queued = False
                    return
            try:
                self._publisher.publish(people)
            except Exception:
                log.warning("could not republish %s App Home tabs", len(people), exc_info=True)
