"""Pure Block Kit builders: modals and messages made from plain values, never sent here."""

from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.command_answers import help_message, list_message, status_message
from bot.slack.surfaces.messages import filing_confirmation, request_root
from bot.slack.surfaces.modals import FilingPrefill, filing_modal
from bot.slack.surfaces.notices import (
    breach_notice,
    digest,
    escalation_post,
    reminder_notice,
    resolution_breach_notice,
    resolution_reminder,
    update_nudge,
)
from bot.slack.surfaces.requester_notes import (
    another_issue_note,
    conversation_opened,
    email_route_note,
    status_change_note,
)

__all__ = [
    "FilingPrefill",
    "Message",
    "another_issue_note",
    "breach_notice",
    "conversation_opened",
    "digest",
    "email_route_note",
    "escalation_post",
    "filing_confirmation",
    "filing_modal",
    "help_message",
    "list_message",
    "reminder_notice",
    "request_root",
    "resolution_breach_notice",
    "resolution_reminder",
    "status_change_note",
    "status_message",
    "update_nudge",
]
