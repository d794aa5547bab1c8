"""The filing modal's affected area: choosing one suggests the vendor incident that affects it.

The area select sends its choice at once only while vendor incidents are listed.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.requests import AffectedArea
from bot.slack.deps import SlackDeps
from bot.slack.filing import redraw_for_area
from bot.slack.ids import Field


def register(app: App, deps: SlackDeps) -> None:
    """Listen for area choices in the filing modal."""

    @app.action(Field.AREA.value)
    def on_area_chosen(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        view = body.get("view")
        selected = action.get("selected_option")
        value = str(selected.get("value")) if isinstance(selected, dict) else ""
        if not (isinstance(view, dict) and view.get("id") and deps.desk.vendor_status):
            return
        try:
            area = AffectedArea(value)
        except ValueError:
            return  # not one of ours: a crafted payload
        redraw_for_area(deps, client, view, area)
