"""Plays Slack's side of slash commands, interactivity and events against a running app."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from bot.devtools import driver_payloads as payloads
from bot.devtools.driver_connect import (
    ConnectDirectory,
    ConnectRoster,
    NotDeliveredBySlack,
    refuse_external,
)
from bot.devtools.driver_events import EventsDriver
from bot.devtools.driver_state import StateValues, merge_states, view_state_value
from bot.devtools.driver_transport import DriverResponse, sign

__all__ = ["ConnectRoster", "DriverResponse", "NotDeliveredBySlack", "SlackDriver", "sign"]


class SlackDriver(EventsDriver):
    """Plays Slack's side of slash commands, interactivity and events against a live app.

    With a `directory` (the stand-in, or a ConnectRoster) it sends what Slack sends in Slack
    Connect: see driver_connect.py for the shapes and their sources.
    """

    state = staticmethod(view_state_value)
    merge_states = staticmethod(merge_states)

    def __init__(
        self,
        *,
        base_url: str,
        signing_secret: str,
        team_id: str = "T0001",
        timeout: float = 10.0,
        bot_user_id: str = "UBOT",
        response_url_base: str | None = None,
        directory: ConnectDirectory | None = None,
    ) -> None:
        super().__init__(base_url=base_url, signing_secret=signing_secret, timeout=timeout)
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.response_url_base = response_url_base
        self.directory = directory
        self._serial = itertools.count(1)

    # Slash commands and interactivity

    def new_response_url(self) -> str:
        """A response_url: served by the stand-in when response_url_base is set."""
        token = secrets.token_hex(8)
        if self.response_url_base:
            return f"{self.response_url_base}{token}"
        return f"https://hooks.slack.com/commands/{self.team_id}/{next(self._serial)}/{token}"

    def slash_command(
        self,
        *,
        user_id: str,
        text: str = "",
        command: str = "/kustomer-support",
        channel_id: str = "C_SUPPORT",
        trigger_id: str | None = None,
        user_name: str | None = None,
        channel_name: str | None = None,
    ) -> DriverResponse:
        """A slash command invocation, form-encoded with Slack's field set.

        Raises NotDeliveredBySlack for a user of another organisation: Slack does not share
        slash commands with them, in a Slack Connect channel or anywhere else.
        """
        refuse_external(self.origin(user_id, channel_id), "slash commands", user_id)
        fields = {
            "token": payloads.VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "team_domain": payloads.TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name or channel_id.lower(),
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": payloads.APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.new_response_url(),
            "trigger_id": trigger_id or payloads.new_trigger_id(),
        }
        return self.send_form(fields)

    def view_submission(
        self,
        *,
        user_id: str,
        view: dict[str, Any],
        values: StateValues,
        callback_id: str | None = None,
        private_metadata: str | None = None,
        view_id: str | None = None,
        view_hash: str | None = None,
        trigger_id: str | None = None,
    ) -> DriverResponse:
        """A modal submission carrying `values` as view.state.values.

        From a user of another organisation (a modal opened in a Slack Connect channel),
        `team`, `user.team_id` and `view.team_id` are theirs and
        `view.app_installed_team_id` is the installing team.
        """
        origin = self.origin(user_id, None)
        payload = payloads.interaction_base(
            "view_submission", user_id, origin.actor_team, trigger_id or payloads.new_trigger_id()
        )
        payload["view"] = payloads.submitted_view(
            view,
            values,
            team_id=origin.actor_team,
            callback_id=callback_id,
            private_metadata=private_metadata,
            view_id=view_id,
            view_hash=view_hash,
        )
        if origin.external:
            payload["view"]["app_installed_team_id"] = self.team_id
        payload["response_urls"] = []
        return self.send_payload(payload)

    def view_closed(self, *, user_id: str, view: dict[str, Any]) -> DriverResponse:
        """The user closed a modal that has notify_on_close set."""
        payload = payloads.interaction_base("view_closed", user_id, self.team_id, "")
        del payload["trigger_id"]
        payload["view"] = payloads.submitted_view(
            view,
            {},
            team_id=self.team_id,
            callback_id=None,
            private_metadata=None,
            view_id=None,
            view_hash=None,
        )
        payload["is_cleared"] = False
        return self.send_payload(payload)

    def block_action(
        self,
        *,
        user_id: str,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        container: dict[str, Any] | None = None,
        trigger_id: str | None = None,
        view: dict[str, Any] | None = None,
        selected_option: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        action_type: str | None = None,
        values: StateValues | None = None,
    ) -> DriverResponse:
        """A click or choice on a message or view (user.team_id: the user's own, Slack Connect)."""
        channel_id, message, view = payloads.action_origin(channel_id, message, view, values)
        blocks = (view or message or {}).get("blocks")
        found_block_id, element = payloads.find_action(blocks, action_id)
        entry = payloads.action_entry(
            action_id,
            block_id=block_id or found_block_id,
            element=element,
            value=value,
            selected_option=selected_option,
            action_type=action_type,
        )
        trigger = trigger_id or payloads.new_trigger_id()
        user_team = self.origin(user_id, channel_id).actor_team
        payload = payloads.interaction_base(
            "block_actions", user_id, self.team_id, trigger, user_team=user_team
        )
        payload["actions"] = [entry]
        payload.update(self._action_surface(channel_id, message_ts, view, message))
        if container is not None:
            payload["container"] = container
        return self.send_payload(payload)

    def _action_surface(
        self,
        channel_id: str | None,
        message_ts: str | None,
        view: dict[str, Any] | None,
        message: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The container/channel/message/view part of a block_actions payload."""
        if view is not None:
            shown = payloads.submitted_view(
                view,
                view.get("state", {}).get("values", {}),
                team_id=self.team_id,
                callback_id=None,
                private_metadata=None,
                view_id=None,
                view_hash=None,
            )
            return {"container": {"type": "view", "view_id": shown["id"]}, "view": shown}
        surface: dict[str, Any] = {"state": {"values": {}}}
        if channel_id is not None:
            surface["channel"] = {"id": channel_id, "name": channel_id.lower()}
            surface["response_url"] = self.new_response_url()
        ts = message_ts or (message or {}).get("ts")
        if ts is not None:
            surface["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": False,
            }
            surface["message"] = {"type": "message", "ts": ts, "text": "", **(message or {})}
        return surface
