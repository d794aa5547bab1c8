"""Publishes App Home tabs: when someone opens theirs, and when one of their requests changes."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.desk import Records
from bot.services.home import Home, homes
from bot.slack.phrases import due_phrase
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
            for home in homes(self.records, user_ids=people):
                try:
                    self.client.views_publish(user_id=home.user_id, view=self.view(home))
                except SlackApiError as error:
                    log.warning(
                        "could not publish the Home of %s: %s",
                        home.user_id,
                        error.response.get("error"),
                    )

    def view(self, home: Home) -> Json:
        """The Home view, each request's clock phrased as of the Home's instant."""
        policy = self.records.policy
        return home_view(
            home, left=lambda request: due_phrase(request, policy=policy, now=home.now)
        )
