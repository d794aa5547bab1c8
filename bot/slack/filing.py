"""Opening the filing modal, and who may file through chat."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.requests import IntakeChannel, Priority
from bot.domain.sla import target_phrase
from bot.slack.deps import SlackDeps
from bot.slack.forms import FilingMetadata
from bot.slack.surfaces.modals import FilingPrefill, filing_modal


def chat_refusal(deps: SlackDeps, user_id: str) -> str | None:
    """Why this person may not file through chat ("plan" or "role"), or None if they may."""
    if deps.plan_tier == "professional":
        return "plan"
    if not deps.directory.is_chat_admin(user_id):
        return "role"
    return None


def open_filing_modal(
    deps: SlackDeps,
    client: WebClient,
    *,
    trigger_id: str,
    route: IntakeChannel,
    prefill: FilingPrefill | None = None,
    origin_channel_id: str | None = None,
    origin_thread_ts: str | None = None,
) -> None:
    """Open the modal, showing each impact's target as of now."""
    now = deps.desk.clock.now()
    calendar = deps.desk.policy.calendar
    phrases = {priority: target_phrase(priority, now, calendar) for priority in Priority}
    metadata = FilingMetadata(
        route=route, origin_channel_id=origin_channel_id, origin_thread_ts=origin_thread_ts
    )
    view = filing_modal(
        route=route,
        impact_phrases=phrases,
        prefill=prefill,
        private_metadata=metadata.dumps(),
        support_email=deps.support_email,
    )
    client.views_open(trigger_id=trigger_id, view=view)
