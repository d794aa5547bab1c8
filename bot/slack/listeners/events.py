"""Message events: email intake, replies in request conversations, stray channel messages,
and customers' messages in shared channels (listeners/shared_channels.py).

The App Home's `app_home_opened` is served by listeners/home.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.model import ConversationRef
from bot.services.deliveries import first_delivery
from bot.services.filing import file_request
from bot.services.replies import Reply, ReplyOutcome, record_reply
from bot.slack.deps import SlackDeps
from bot.slack.email_intake import email_draft
from bot.slack.listeners import shared_channels
from bot.slack.surfaces.messages import another_issue_note
from bot.slack.text import unescape

log = logging.getLogger(__name__)

# The message subscriptions of manifest.yml (public and private channels); Bolt delivers
# both as the `message` event.
MESSAGE_EVENTS = ("message.channels", "message.groups")
# Edits, deletions, joins and the like are not new messages from a person.
ALLOWED_SUBTYPES = {None, "file_share", "thread_broadcast"}
# Slack's email integration posts forwarded emails as file shares (an email file) or bot
# messages; the app's own posts are never emails.
EMAIL_SUBTYPES = ALLOWED_SUBTYPES | {"bot_message"}
Handler = Callable[[SlackDeps, WebClient, dict[str, Any], dict[str, Any]], None]
NOTE_REASONS = {
    ReplyOutcome.ANOTHER_ISSUE: "another_issue",
    ReplyOutcome.AFTER_RESOLVED: "resolved",
}


def register(app: App, deps: SlackDeps) -> None:
    """Listen for message events."""

    @app.event("message")
    def on_message(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        handle = _handler_for(
            deps, body, event, bot_user_id=context.bot_user_id, bot_id=context.bot_id
        )
        if handle is None:
            return
        # Slack retries events, and may deliver one message twice: act on it once.
        event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
        if not first_delivery(deps.desk, key=f"event:{event_id}", scope="event"):
            log.info("event %s delivered again; ignored", event_id)
            return
        handle(deps, client, body, event)


def _handler_for(
    deps: SlackDeps,
    body: dict[str, Any],
    event: dict[str, Any],
    *,
    bot_user_id: str | None,
    bot_id: str | None,
) -> Handler | None:
    """What this message means to the desk, or None when it means nothing."""
    channel = event.get("channel")
    top_level = not event.get("thread_ts") or event.get("thread_ts") == event.get("ts")
    routing = deps.desk.routing
    if channel == routing.email_intake_channel_id and top_level:
        own = (bot_user_id and event.get("user") == bot_user_id) or (
            bot_id and event.get("bot_id") == bot_id
        )
        return _file_email if event.get("subtype") in EMAIL_SUBTYPES and not own else None
    by_person = (
        event.get("subtype") in ALLOWED_SUBTYPES
        and not event.get("bot_id")
        and event.get("user")
        and event.get("user") != bot_user_id
    )
    if not by_person:
        return None
    if not top_level:
        return _thread_reply
    if channel == routing.support_channel_id:
        return _not_a_request
    if channel in (routing.oncall_channel_id, routing.escalation_channel_id):
        return None
    # A customer's shared channel, or one shared with an organisation no account maps (§11).
    return shared_channels.message_handler(deps, body, event, bot_user_id=bot_user_id)


def _file_email(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """A new top-level message in the email-intake channel becomes a Medium request.

    Whatever it carries (text, an email file, or nothing readable) is filed: an unreadable
    one as "Unreadable email" with a link to the message.
    """
    origin = ConversationRef(event["channel"], event["ts"])
    draft = email_draft(
        event,
        team_id=str(body.get("team_id") or event.get("team") or ""),
        link=lambda: deps.messenger.permalink(origin),
    )
    filed = file_request(
        deps.desk, draft=draft, delivery_key=f"email:{origin.channel_id}:{origin.ts}"
    )
    if filed.duplicate:
        return
    link = deps.messenger.permalink(filed.request.conversation)
    where = f"<{link}|its conversation>" if link else "its own conversation"
    client.chat_postMessage(
        channel=event["channel"],
        thread_ts=event["ts"],
        text=f"Filed as {filed.request.key} (Medium, email). The support team answers in {where}.",
        unfurl_links=False,
    )


def _thread_reply(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    reply = Reply(
        channel_id=event["channel"],
        thread_ts=event["thread_ts"],
        ts=event["ts"],
        user_id=event["user"],
        text=unescape(event.get("text") or ""),
        at=deps.desk.clock.now(),
    )
    result = record_reply(deps.desk, reply=reply)
    reason = NOTE_REASONS.get(result.outcome)
    if reason is not None and not deps.directory.is_desk_member(reply.user_id):
        _note(client, event, reason=reason, origin=(event["channel"], event["thread_ts"]))


def _not_a_request(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """A requester wrote in the support channel instead of filing: offer the form.

    The desk's own people talk there too; only requesters get the note.
    """
    if deps.directory.is_desk_member(event["user"]):
        return
    _note(client, event, reason="not_a_request", origin=(event["channel"], event["ts"]))


def _note(
    client: WebClient, event: dict[str, Any], *, reason: str, origin: tuple[str, str]
) -> None:
    """One issue per conversation: offer to file the person's words as a new request."""
    note = another_issue_note(
        reason=reason, prefill_text=unescape(event.get("text") or ""), origin=origin
    )
    client.chat_postEphemeral(
        channel=event["channel"],
        user=event["user"],
        thread_ts=event.get("thread_ts"),
        text=note.text,
        blocks=note.blocks,
    )
