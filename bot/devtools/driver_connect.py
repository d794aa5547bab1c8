"""Who is who in Slack Connect, as the driver needs it to send what Slack would send.

Sources (as documented by Slack, and as Slack's own SDKs record real deliveries):

- Events API envelope (https://docs.slack.dev/apis/events-api, the event wrapper schema at
  https://api.slack.com/types/event): `team_id` is "the workspace where the event occurred";
  `authorizations` lists the installation the event is visible to (changelog 2020-09-15,
  "Events API truncate authed users"); `is_ext_shared_channel`, `context_team_id`,
  `context_enterprise_id`. The Slack Connect deliveries Bolt for Python is tested against
  (slackapi/bolt-python tests/slack_bolt/request/test_internals.py) show a message of a user of
  another team with the envelope `team_id` and the event's `team` / `user_team` /
  `source_team` naming the author's team, while `authorizations[0].team_id` and
  `context_team_id` name the installing team.
- block_actions (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload):
  `user.team_id` is the clicking user's own team; `team` stays the workspace where the app
  posted the message (slackapi/java-slack-sdk issue 1041 quotes such a payload).
- view_submission from a modal opened in a Slack Connect channel by a user of another team
  (slackapi/bolt-python tests/scenario_tests/test_view_submission.py): `team`, `user.team_id`
  and `view.team_id` are the user's team; `view.app_installed_team_id` is the installing one.
- Slash commands, message shortcuts and global shortcuts are not shared with people of
  other organisations ("Understanding Slack Connect", https://docs.slack.dev/apis/slack-connect;
  PRODUCT.md §11): Slack never delivers one of theirs, so the driver refuses to.
- channel_shared (https://api.slack.com/events/channel_shared): `connected_team_id`, `channel`,
  `event_ts`; member_joined_channel (https://api.slack.com/events/member_joined_channel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class NotDeliveredBySlack(Exception):
    """The driver was asked to send something Slack never sends (it would be a false test)."""


class ConnectDirectory(Protocol):
    """What Slack knows when it builds a payload: each person's team and shared channels."""

    def team_of(self, user_id: str) -> str:
        """The team the user belongs to."""
        ...

    def is_ext_shared(self, channel_id: str) -> bool:
        """Whether the channel is shared with another organisation."""
        ...


@dataclass
class ConnectRoster:
    """A ConnectDirectory without a stand-in: people of other teams and shared channels."""

    home_team: str = "T0001"
    teams: dict[str, str] = field(default_factory=dict)
    shared_channels: set[str] = field(default_factory=set)

    def team_of(self, user_id: str) -> str:
        """The team the user belongs to (the home team unless listed)."""
        return self.teams.get(user_id, self.home_team)

    def is_ext_shared(self, channel_id: str) -> bool:
        """Whether the channel was listed as shared."""
        return channel_id in self.shared_channels


@dataclass(frozen=True)
class Origin:
    """Where an inbound event or payload comes from: the author's team and the channel's kind."""

    installed_team: str
    actor_team: str
    shared_channel: bool

    @property
    def external(self) -> bool:
        """Whether the actor belongs to another organisation than the installing team."""
        return self.actor_team != self.installed_team


def origin_of(
    directory: ConnectDirectory | None,
    *,
    installed_team: str,
    user_id: str | None,
    channel_id: str | None,
) -> Origin:
    """The origin of something a user did (in a channel), as Slack's directory knows it."""
    if directory is None:
        return Origin(installed_team, installed_team, shared_channel=False)
    actor = directory.team_of(user_id) if user_id else installed_team
    shared = bool(channel_id) and directory.is_ext_shared(str(channel_id))
    return Origin(installed_team, actor, shared_channel=shared)


def refuse_external(origin: Origin, what: str, user_id: str) -> None:
    """Raise NotDeliveredBySlack for a command or shortcut of a user of another organisation."""
    if origin.external:
        raise NotDeliveredBySlack(
            f"Slack does not share {what} with people of other organisations: "
            f"{user_id} belongs to team {origin.actor_team}, the app is installed on "
            f"{origin.installed_team}, so Slack would never send this request"
        )
