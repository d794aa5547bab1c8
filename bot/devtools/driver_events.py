"""The driver's Events API side: signed event_callback deliveries, Slack Connect included."""

from __future__ import annotations

import secrets
from typing import Any

from bot.devtools import driver_payloads as payloads
from bot.devtools.driver_connect import ConnectDirectory, Origin, origin_of
from bot.devtools.driver_transport import DriverResponse, SignedTransport


class EventsDriver(SignedTransport):
    """Sends Events API events as Slack does, with the envelope Slack Connect calls for."""

    team_id: str
    bot_user_id: str
    directory: ConnectDirectory | None

    def origin(self, user_id: str | None, channel_id: str | None) -> Origin:
        """Where something a user did comes from, as Slack's directory knows it."""
        return origin_of(
            self.directory, installed_team=self.team_id, user_id=user_id, channel_id=channel_id
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> DriverResponse:
        """Any Events API event, wrapped in its event_callback envelope.

        The envelope follows the event's `user` and `channel` (or `channel_id`): an event in a
        Slack Connect channel is flagged `is_ext_shared_channel`, its `team_id` is the
        author's team, and `authorizations` / `context_team_id` name the installing team.
        """
        channel = event.get("channel") or event.get("channel_id")
        origin = self.origin(event.get("user"), channel if isinstance(channel, str) else None)
        body = payloads.event_envelope(
            event, bot_user_id=self.bot_user_id, event_id=event_id, origin=origin
        )
        headers: dict[str, str] = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return self.send_json(body, headers=headers)

    def message_event(
        self,
        *,
        channel_id: str,
        user_id: str,
        text: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        bot_id: str | None = None,
        subtype: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> DriverResponse:
        """A `message` event: a person (or a bot, with bot_id) wrote in a channel or thread.

        In a Slack Connect channel the event names the author's own team in `team`,
        `user_team` and `source_team`.
        """
        stamp = ts or payloads.new_ts()
        origin = self.origin(user_id, channel_id)
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel_id,
            "user": user_id,
            "text": text,
            "ts": stamp,
            "event_ts": stamp,
            "team": origin.actor_team,
            "channel_type": payloads.channel_type(channel_id),
        }
        if origin.shared_channel:
            event.update(user_team=origin.actor_team, source_team=origin.actor_team)
        optional = {"thread_ts": thread_ts, "bot_id": bot_id, "subtype": subtype}
        event.update({k: v for k, v in optional.items() if v is not None})
        if bot_id is None and subtype is None:
            event["client_msg_id"] = secrets.token_hex(16)
        return self.event(event, event_id=event_id, retry_num=retry_num, retry_reason=retry_reason)

    def posted(
        self,
        message: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> DriverResponse:
        """The `message` event for a message already in the stand-in (an email post, say)."""
        event = payloads.posted_message_event(message, team_id=self.team_id)
        return self.event(event, event_id=event_id, retry_num=retry_num, retry_reason=retry_reason)

    def app_home_opened(self, *, user_id: str, event_id: str | None = None) -> DriverResponse:
        """The user opened the app's Home tab."""
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": f"D{user_id}",
            "tab": "home",
            "event_ts": payloads.new_ts(),
        }
        return self.event(event, event_id=event_id)

    def channel_shared(
        self, *, channel_id: str, connected_team_id: str, event_id: str | None = None
    ) -> DriverResponse:
        """`channel_shared`: a channel was shared with (or joined by) another team."""
        event = {
            "type": "channel_shared",
            "connected_team_id": connected_team_id,
            "channel": channel_id,
            "event_ts": payloads.new_ts(),
        }
        return self.event(event, event_id=event_id)

    def member_joined_channel(
        self,
        *,
        channel_id: str,
        user_id: str,
        inviter: str | None = None,
        event_id: str | None = None,
    ) -> DriverResponse:
        """`member_joined_channel`: someone (of any team) joined a channel the app is in."""
        event: dict[str, Any] = {
            "type": "member_joined_channel",
            "user": user_id,
            "channel": channel_id,
            "channel_type": "G" if channel_id.startswith("G") else "C",
            "team": self.origin(user_id, channel_id).actor_team,
            "event_ts": payloads.new_ts(),
        }
        if inviter is not None:
            event["inviter"] = inviter
        return self.event(event, event_id=event_id)

    def url_verification(self, challenge: str) -> DriverResponse:
        """Slack's endpoint handshake."""
        token = payloads.VERIFICATION_TOKEN
        return self.send_json({"token": token, "challenge": challenge, "type": "url_verification"})
