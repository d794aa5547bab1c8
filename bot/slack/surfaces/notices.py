"""What the timers and escalations post: reminders, breaches, nudges and digests.

`mention` arguments are ready-made mentions (`<@U…>` or `<!subteam^…>`): they are meant
to ping, so they are used as is. Everything a customer typed is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.db.models import SupportRequest
from bot.slack.ids import Action
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    MESSAGE_BLOCK_LIMIT,
    Json,
    Message,
    actions,
    button,
    clip,
    context,
    fields,
    header,
    line_sections,
    section,
    user_ref,
    when,
)
from bot.slack.text import escape

_CLOCKS = {"business": "business-hours clock", "wall": "24/7 clock"}
_ESCALATIONS = {
    "breach": (":red_circle:", "First-response target breached"),
    "leadership": (":arrow_up:", "Escalated to support leadership"),
    "resolution_breach": (":red_circle:", "Resolution target passed"),
}
_ESCALATIONS["resolution"] = _ESCALATIONS["resolution_breach"]
_DIGEST_LINES = 100


def reminder_notice(
    request: SupportRequest,
    *,
    mention: str,
    left_phrase: str,
    due_at: datetime,
    fraction: float,
    clock: str = "",
) -> Message:
    """A ping before the first-response target: who, how long is left, when it is due.

    `clock` is "business" (business hours) or "wall" (24/7); it only changes the wording.
    """
    used = f"{round(fraction * 100)}% of the target used"
    if clock:
        used += f" on the {_CLOCKS.get(clock, escape(clock) + ' clock')}"
    line = (
        f":hourglass_flowing_sand: {_who(mention)}*{request.key}* ({labels.impact(request)}) "
        f"needs a first response: {escape(left_phrase)} left, due {when(due_at)}."
    )
    return _notice(request, line, used)


def breach_notice(request: SupportRequest, *, mention: str) -> Message:
    """Says in the conversation that the first-response target was missed."""
    line = (
        f":red_circle: {_who(mention)}*{request.key}* missed its first-response target "
        f"(due {when(request.first_response_due_at)}). It is marked breached and support "
        "leadership has been told."
    )
    return _notice(request, line)


def update_nudge(request: SupportRequest, *, mention: str) -> Message:
    """Asks for the regular update a Critical request is owed."""
    last = request.last_engineer_reply_at or request.first_responded_at
    since = f"last engineer reply {when(last)}" if last else "no engineer reply yet"
    line = (
        f":speech_balloon: {_who(mention)}*{request.key}* is Critical: an update is due — {since}."
    )
    return _notice(request, line)


def resolution_reminder(
    request: SupportRequest, *, mention: str, left_phrase: str, due_at: datetime
) -> Message:
    """A ping before the resolution target."""
    line = (
        f":hourglass_flowing_sand: {_who(mention)}*{request.key}* is due to be resolved: "
        f"{escape(left_phrase)} left, due {when(due_at)}."
    )
    return _notice(request, line, "Waiting on the customer pauses this clock.")


def resolution_breach_notice(request: SupportRequest, *, mention: str) -> Message:
    """Says in the conversation that the resolution target has passed."""
    due = request.resolution_due_at
    was_due = f" (due {when(due)})" if due else ""
    line = (
        f":red_circle: {_who(mention)}*{request.key}* passed its resolution target{was_due}. "
        "If it needs engineering work, escalate it to Development."
    )
    return _notice(request, line)


def escalation_post(
    request: SupportRequest, *, permalink: str | None, reason: str, actor_id: str | None
) -> Message:
    """The post in the escalation channel: why, which request, who is on it, the link."""
    if reason not in _ESCALATIONS:
        raise ValueError(f"unknown escalation reason: {reason!r}")
    emoji, what = _ESCALATIONS[reason]
    by = f" by {user_ref(actor_id)}" if actor_id else ""
    blocks: list[Json] = [
        section(f"{emoji} {what}{by}: *{labels.title(request, 300)}*"),
        fields(
            [
                ("Impact", labels.impact(request)),
                ("Status", labels.status(request)),
                ("Requester", user_ref(request.requester_id, fallback="?")),
                ("Assignee", user_ref(request.assignee_id)),
                ("First response due", when(request.first_response_due_at)),
            ]
        ),
    ]
    if permalink and permalink.startswith("https://"):
        link = button("Open the conversation", action_id=Action.OPEN_CONVERSATION, url=permalink)
        blocks.append(actions([link]))
    text = f"{what}: {request.key} · {labels.subject(request)}"
    return Message(text=text, blocks=blocks)


def digest(notices: Sequence[tuple[SupportRequest, str]], *, title: str) -> Message:
    """Many notices for one channel in one message: a line each, "…and N more" past the cap.

    Each notice is the app's own mrkdwn (mentions and date tokens stay live).
    """
    lines = [
        f"*{request.key}* · {labels.impact(request)} — {clip(note, 400)}"
        for request, note in notices
    ]
    blocks = [header(escape(title))]
    if lines:
        blocks += line_sections(lines, max_blocks=MESSAGE_BLOCK_LIMIT - 1, max_lines=_DIGEST_LINES)
    else:
        blocks.append(context("Nothing to report."))
    return Message(text=f"{clip(escape(title), 200)} ({len(notices)})", blocks=blocks)


def _who(mention: str) -> str:
    return f"{mention.strip()} " if mention.strip() else ""


def _notice(request: SupportRequest, line: str, extra: str = "") -> Message:
    """One notice: the line, then the subject (and any extra) in small print."""
    small = f"{labels.subject(request, 200)}{' · ' + extra if extra else ''}"
    return Message(text=clip(line, 3000), blocks=[section(line), context(small)])
