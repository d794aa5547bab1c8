"""The App Home tab: published when opened, on its Refresh button, and when requests change."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack.deps import SlackDeps
from bot.slack.ids import Action


def register(app: App, deps: SlackDeps) -> None:
    """Listen for app_home_opened and the Refresh button."""
    publisher = deps.homes

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any]) -> None:
        # The same event fires for the Messages tab; only the Home tab is ours to draw.
        if event.get("tab", "home") == "home" and event.get("user"):
            publisher.publish([event["user"]])

    @app.action(Action.HOME_REFRESH.value)
    def on_refresh(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body.get("user")
        if isinstance(user, dict) and user.get("id"):
            publisher.publish([user["id"]])
