"""What the services need from the outside world, as small interfaces.

The Slack layer implements them (bot/slack/messenger.py, bot/slack/directory.py); tests
swap in fakes. The services never import Slack: a port that fails raises `DeliveryFailed`.
"""

from __future__ import annotations

from typing import Protocol

from pendulum import DateTime

from bot.domain.changes import ChangeNote, CustomerNote
from bot.domain.model import ConversationRef, Request


class DeliveryFailed(Exception):
    """Slack did not take a message; `permanent` means retrying will not help.

    `retry_after` is Slack's Retry-After (seconds) when it answered 429.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class ChannelBusy(DeliveryFailed):
    """The channel's rate slot is taken: the post waits its turn (nothing failed)."""


class Messenger(Protocol):
    """Renders what happened to a request into its Slack conversation."""

    def publish(self, request: Request, *, paced: bool = False) -> ConversationRef:
        """Post the request's root message in the channel its impact routes to.

        `paced`: wait for the channel's turn first (the scheduler's backlog); unpaced, a
        channel whose slot is taken raises `ChannelBusy` at once rather than wait.
        """

    def refresh(self, request: Request) -> None:
        """Bring the root message up to date with the request."""

    def say(self, request: Request, note: ChangeNote) -> None:
        """Say what changed in the request's conversation (a thread reply)."""

    def tell_customer(self, request: Request, note: CustomerNote) -> None:
        """Say a short customer-facing note in the customer's thread of a shared channel.

        Only these notes ever go there; a request without a customer thread gets nothing.
        """

    def conversation_opened(self, request: Request) -> None:
        """Tell the requester the conversation promised at filing is open, with its link."""

    def conversation_moved(self, request: Request, *, old: ConversationRef) -> None:
        """Link the old thread and the new one, each from the other."""

    def supersede_ping(
        self, request: Request, ping: ConversationRef, *, answered_by: str | None, at: DateTime
    ) -> None:
        """Rewrite a group ping nobody needs any more (answered, or a later ping followed)."""

    def escalate(self, request: Request, *, reason: str, actor_id: str | None) -> None:
        """Post the request to the escalation channel with a link to its conversation."""


class Directory(Protocol):
    """Who people are: support engineers, on-call engineers, chat admins."""

    def is_support_engineer(self, user_id: str) -> bool: ...

    def is_desk_member(self, user_id: str) -> bool:
        """Support engineers and on-call engineers: they take, answer and resolve."""

    def is_chat_admin(self, user_id: str) -> bool: ...
