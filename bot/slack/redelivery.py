"""A click or a slash command acts once: Slack's retries and replays of it do nothing.

Each carries a trigger id of its own, claimed as a delivery key before any listener runs
(a key in the database, so the claim holds across replicas and restarts). Modal
submissions are keyed by their view in `file_request`, and message events by their event
id in listeners/events.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.services.deliveries import first_delivery
from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)

SCOPE = "interaction"
# Slack's trigger ids are about 60 characters; keys are stored in 255.
MAX_TRIGGER_ID = 200


def register(app: App, deps: SlackDeps) -> None:
    """Answer a repeated interaction with an empty 200 before any listener sees it."""

    @app.middleware
    def once_per_interaction(
        body: dict[str, Any], next_: Callable[[], BoltResponse]
    ) -> BoltResponse:
        key = delivery_key(body)
        if key is None or first_delivery(deps.desk, key=key, scope=SCOPE):
            return next_()
        log.info("interaction %s delivered again; ignored", key)
        return BoltResponse(status=200, body="")


def delivery_key(body: dict[str, Any]) -> str | None:
    """`command:<trigger id>` or `action:<trigger id>`; None for anything else."""
    if "command" in body:
        kind = "command"
    elif body.get("type") == "block_actions":
        kind = "action"
    else:
        return None
    trigger_id = body.get("trigger_id")
    if not isinstance(trigger_id, str) or not 0 < len(trigger_id) <= MAX_TRIGGER_ID:
        return None
    return f"{kind}:{trigger_id}"
