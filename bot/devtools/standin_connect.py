"""Slack Connect in the stand-in: people of other organisations and channels shared with them.

Modelled on Slack's documentation, and nothing beyond it:

- "Understanding Slack Connect" (https://docs.slack.dev/apis/slack-connect, formerly
  https://api.slack.com/apis/channels-between-orgs): users and messages of other teams in a
  shared channel, the `channel_shared` / `channel_unshared` events.
- "Conversation object" (https://docs.slack.dev/reference/objects/conversation-object):
  `is_shared`, `is_ext_shared`, `is_org_shared`, `is_pending_ext_shared`, `shared_team_ids`,
  `context_team_id`, `conversation_host_id` as conversations.info reports them.
- "User object" (https://api.slack.com/types/user) and users.info
  (https://docs.slack.dev/reference/methods/users.info): a user of another organisation keeps
  their own `team_id`; `is_admin` / `is_owner` / `is_primary_owner` describe "the current
  workspace", so they are false for them (their roles at home are not reported); `is_stranger`
  is true for "a different workspace ... and isn't in any shared channels visible to your app",
  absent otherwise.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from bot.devtools.standin_directory import make_user
from bot.devtools.standin_pins import pinned_items
from bot.devtools.standin_state import StandInState, Workspace, resolve_channel


def share(ws: Workspace, channel: dict[str, Any], team_ids: Iterable[str]) -> None:
    """Make a channel hosted by this workspace a Slack Connect channel with these teams."""
    others = [team for team in team_ids if team != ws.team_id]
    if not others:
        raise ValueError("a Slack Connect channel needs at least one other team id")
    known = [t for t in channel.get("shared_team_ids", [ws.team_id]) if t not in others]
    channel.update(
        is_shared=True,
        is_ext_shared=True,
        is_org_shared=False,
        is_pending_ext_shared=False,
        shared_team_ids=[*known, *others],
        conversation_host_id=ws.team_id,
    )


def conversation_view(ws: Workspace, channel: dict[str, Any]) -> dict[str, Any]:
    """A channel as conversations.info shows it: the documented sharing fields always present."""
    shown = {
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "shared_team_ids": [ws.team_id],
        **copy.deepcopy(channel),
    }
    shown["context_team_id"] = ws.team_id
    return shown


def person_message(
    ws: Workspace,
    channel_id: str,
    *,
    user: str,
    text: str,
    thread_ts: str | None,
    blocks: list[dict[str, Any]] | None,
) -> str:
    """Store a message a person wrote; in a shared channel it names the author's own team."""
    channel = ws.channel(resolve_channel(channel_id))
    author_team = team_of(ws, user)
    message: dict[str, Any] = {
        "type": "message",
        "channel": channel["id"],
        "ts": ws.next_ts(),
        "thread_ts": thread_ts,
        "text": text,
        "blocks": blocks,
        "user": user,
        "team": author_team,
    }
    if channel.get("is_ext_shared"):
        message.update(user_team=author_team, source_team=author_team)
    ws.store_message(message)
    return str(message["ts"])


def team_of(ws: Workspace, user_id: str) -> str:
    """The team a user belongs to (the workspace's own for people it does not know)."""
    return str(ws.users.get(user_id, {}).get("team_id") or ws.team_id)


class ConnectSetup:
    """SlackStandIn's Slack Connect setup and queries (the driver reads them too)."""

    _state: StandInState

    def add_external_user(
        self,
        user_id: str,
        *,
        team_id: str,
        name: str,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "America/New_York",
        is_bot: bool = False,
    ) -> None:
        """Add a person of another organisation (team_id: their own team, not this one)."""
        with self._state.lock:
            if team_id == self._state.workspace.team_id:
                raise ValueError("an external user belongs to another team than the workspace")
            self._state.workspace.users[user_id] = make_user(
                user_id,
                name=name,
                team_id=team_id,
                real_name=real_name,
                email=email,
                tz=tz,
                is_bot=is_bot,
            )

    def share_channel(self, channel_id: str, team_ids: Iterable[str]) -> None:
        """Share a declared (or new) channel with other organisations' teams: Slack Connect."""
        with self._state.lock:
            ws = self._state.workspace
            share(ws, ws.channel(channel_id), list(team_ids))

    def team_of(self, user_id: str) -> str:
        """The team a user belongs to: theirs for an external user, else the workspace's."""
        with self._state.lock:
            return team_of(self._state.workspace, user_id)

    def is_ext_shared(self, channel_id: str) -> bool:
        """Whether a channel is shared with another organisation."""
        with self._state.lock:
            found = self._state.workspace.channels.get(resolve_channel(channel_id), {})
            return bool(found.get("is_ext_shared"))

    def pins(self, channel: str) -> list[dict[str, Any]]:
        """The channel's pinned items as pins.list shows them, newest first."""
        with self._state.lock:
            return copy.deepcopy(pinned_items(self._state.workspace, resolve_channel(channel)))
