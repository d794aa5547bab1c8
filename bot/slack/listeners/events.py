"""Events: messages in the support, on-call and email-intake channels; the App Home."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.domain.requests import IntakeChannel, Priority
from bot.services.deliveries import first_delivery
from bot.services.filing import RequestDraft, file_request
from bot.services.replies import Reply, ReplyOutcome, record_reply
from bot.slack.deps import SlackDeps
from bot.slack.surfaces.messages import another_issue_note
from bot.slack.text import truncate, unescape

log = logging.getLogger(__name__)

# Edits, deletions, joins and the like are not new messages from a person.
ALLOWED_SUBTYPES = {None, "file_share", "thread_broadcast"}
NOTE_REASONS = {
    ReplyOutcome.ANOTHER_ISSUE: "another_issue",
    ReplyOutcome.AFTER_RESOLVED: "resolved",
}


def register(app: App, deps: SlackDeps) -> None:
    """Listen for message events."""

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
        if not first_delivery(deps.desk, key=f"event:{event_id}", scope="event"):
            log.info("event %s delivered again; ignored", event_id)
            return
        channel = event.get("channel")
        top_level = not event.get("thread_ts") or event.get("thread_ts") == event.get("ts")
        routing = deps.desk.routing
        if channel == routing.email_intake_channel_id and top_level:
            _file_email(deps, client, body, event)
        elif event.get("subtype") not in ALLOWED_SUBTYPES or event.get("bot_id"):
            return
        elif not top_level:
            _thread_reply(deps, client, event)
        elif channel == routing.support_channel_id:
            _note(client, event, reason="not_a_request")


def _file_email(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """A new top-level message in the email-intake channel becomes a Medium request."""
    if event.get("subtype") not in ALLOWED_SUBTYPES | {"bot_message"}:
        return
    text = unescape(event.get("text") or "").strip()
    if not text:
        return
    first_line = text.splitlines()[0]
    draft = RequestDraft(
        team_id=str(body.get("team_id") or event.get("team") or ""),
        requester_id=str(event.get("user") or event.get("bot_id") or "unknown"),
        subject=truncate(first_line, 150),
        description=text,
        priority=Priority.MEDIUM,
        intake_channel=IntakeChannel.EMAIL,
    )
    key = f"email:{event['channel']}:{event['ts']}"
    filed = file_request(deps.desk, draft=draft, delivery_key=key)
    if filed.duplicate:
        return
    link = deps.messenger.permalink(filed.request)
    where = f"<{link}|its conversation>" if link else "its own conversation"
    client.chat_postMessage(
        channel=event["channel"],
        thread_ts=event["ts"],
        text=f"Filed as {filed.request.key} (Medium, email). The support team answers in {where}.",
    )


def _thread_reply(deps: SlackDeps, client: WebClient, event: dict[str, Any]) -> None:
    if not event.get("user"):
        return
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
    if reason is not None:
        _note(client, event, reason=reason)


def _note(client: WebClient, event: dict[str, Any], *, reason: str) -> None:
    """One issue per conversation: offer to file the person's words as a new request."""
    if not event.get("user"):
        return
    note = another_issue_note(reason=reason, prefill_text=unescape(event.get("text") or ""))
    client.chat_postEphemeral(
        channel=event["channel"],
        user=event["user"],
        thread_ts=event.get("thread_ts"),
        text=note.text,
        blocks=note.blocks,
    )
