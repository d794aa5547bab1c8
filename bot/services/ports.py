"""What the services need from the outside world, as small interfaces.

The Slack layer implements them (bot/slack/notifier.py, bot/slack/directory.py); tests can
swap in fakes. The services never import Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.db.models import SupportRequest


@dataclass(frozen=True)
class ConversationRef:
    """Where a request's conversation lives: the root message of a thread."""

    channel_id: str
    ts: str


class Messenger(Protocol):
    """Renders what happened to a request into its Slack conversation."""

    def publish(self, request: SupportRequest) -> ConversationRef:
        """Post the request's root message in the channel its impact routes to."""

    def refresh(self, request: SupportRequest) -> None:
        """Bring the root message up to date with the request."""

    def note(self, request: SupportRequest, text: str) -> None:
        """Say something in the request's conversation (a thread reply)."""

    def permalink(self, request: SupportRequest) -> str | None:
        """A link to the request's conversation, if Slack can give one."""

    def escalate(self, request: SupportRequest, *, reason: str, actor_id: str | None) -> None:
        """Post the request to the escalation channel with a link to its conversation."""


class Directory(Protocol):
    """Who people are: support engineers, chat admins."""

    def is_support_engineer(self, user_id: str) -> bool: ...

    def is_chat_admin(self, user_id: str) -> bool: ...
