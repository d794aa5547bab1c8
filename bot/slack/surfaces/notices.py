"""What the timers and escalations post: reminders, breaches, nudges and digests.

`mention` arguments are ready-made mentions (`<@U…>` or `<!subteam^…>`): they are meant
to ping, so they are used as is. Everything a customer typed is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.due_timers import Notice
from bot.domain.model import Request
from bot.domain.sla import clock_for
from bot.domain.timer_kinds import TimerKind
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
    request: Request,
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


def breach_notice(request: Request, *, mention: str) -> Message:
    """Says in the conversation that the first-response target was missed."""
    line = (
        f":red_circle: {_who(mention)}*{request.key}* missed its first-response target "
        f"(due {when(request.first_response_due_at)}). It is marked breached and support "
        "leadership has been told."
    )
    return _notice(request, line)


def update_nudge(request: Request, *, mention: str) -> Message:
    """Asks for the regular update a Critical request is owed."""
    last = request.last_engineer_reply_at or request.first_responded_at
    since = f"last engineer reply {when(last)}" if last else "no engineer reply yet"
    line = (
        f":speech_balloon: {_who(mention)}*{request.key}* is Critical: an update is due — {since}."
    )
    return _notice(request, line)


def resolution_reminder(
    request: Request, *, mention: str, left_phrase: str, due_at: datetime
) -> Message:
    """A ping before the resolution target."""
    line = (
        f":hourglass_flowing_sand: {_who(mention)}*{request.key}* is due to be resolved: "
        f"{escape(left_phrase)} left, due {when(due_at)}."
    )
    return _notice(request, line, "Waiting on the customer pauses this clock.")


def resolution_breach_notice(request: Request, *, mention: str) -> Message:
    """Says in the conversation that the resolution target has passed."""
    due = request.resolution_due_at
    was_due = f" (due {when(due)})" if due else ""
    line = (
        f":red_circle: {_who(mention)}*{request.key}* passed its resolution target{was_due}. "
        "If it needs engineering work, escalate it to Development."
    )
    return _notice(request, line)


def superseded_ping(request: Request, *, answered_by: str | None, at: datetime) -> Message:
    """A group ping rewritten once nobody needs it: no mention, and why it is settled."""
    if answered_by:
        who = user_ref(answered_by)
        line = f":white_check_mark: *{request.key}* was answered by {who} {when(at)}."
    else:
        line = f":arrow_down: *{request.key}*: this reminder is superseded by a later one below."
    return _notice(request, line, "No action needed on this message.")


def escalation_post(
    request: Request, *, permalink: str | None, reason: str, actor_id: str | None
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


def digest(notices: Sequence[tuple[Request, str]], *, title: str) -> Message:
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


def _notice(request: Request, line: str, extra: str = "") -> Message:
    """One notice: the line, then the subject (and any extra) in small print."""
    small = f"{labels.subject(request, 200)}{' · ' + extra if extra else ''}"
    return Message(text=clip(line, 3000), blocks=[section(line), context(small)])


@dataclass(frozen=True)
class NoticeContext:
    """What a notice's words need besides the notice: who to ping, how much time is left."""

    mention: str
    left: str


Render = Callable[[Notice, NoticeContext], Message]
DigestLine = Callable[[Notice, NoticeContext], str]


def _reminder(notice: Notice, ctx: NoticeContext) -> Message:
    return reminder_notice(
        notice.request,
        mention=ctx.mention,
        left_phrase=ctx.left,
        due_at=notice.due_at,
        fraction=notice.fraction or 0.0,
        clock=clock_for(notice.request.priority).value,
    )


def _resolution_reminder(notice: Notice, ctx: NoticeContext) -> Message:
    return resolution_reminder(
        notice.request, mention=ctx.mention, left_phrase=ctx.left, due_at=notice.due_at
    )


def _words(notice: Notice, ctx: NoticeContext) -> str:
    return f"{ctx.mention} {notice.kind.spec.digest_words}"


# Every kind said in a conversation, with its single message and its digest line. Kinds
# said in the escalation channel are rendered by `escalation_post`.
RENDERERS: dict[TimerKind, tuple[Render, DigestLine]] = {
    TimerKind.FIRST_RESPONSE_REMINDER: (
        _reminder,
        lambda n, c: f"{c.mention} first response due, {c.left} left",
    ),
    TimerKind.FIRST_RESPONSE_BREACH: (
        lambda n, c: breach_notice(n.request, mention=c.mention),
        _words,
    ),
    TimerKind.CRITICAL_UPDATE: (lambda n, c: update_nudge(n.request, mention=c.mention), _words),
    TimerKind.RESOLUTION_REMINDER: (
        _resolution_reminder,
        lambda n, c: f"{c.mention} resolution due, {c.left} left",
    ),
    TimerKind.RESOLUTION_BREACH: (
        lambda n, c: resolution_breach_notice(n.request, mention=c.mention),
        _words,
    ),
}
ESCALATION_REASONS: dict[TimerKind, str] = {
    TimerKind.BREACH_ESCALATION: "breach",
    TimerKind.RESOLUTION_ESCALATION: "resolution",
}


def render_notice(notice: Notice, ctx: NoticeContext) -> Message:
    """The message a conversation notice posts."""
    return RENDERERS[notice.kind][0](notice, ctx)


def digest_line(notice: Notice, ctx: NoticeContext, *, permalink: str | None) -> str:
    """The notice's line in a digest message."""
    if notice.kind in ESCALATION_REASONS:
        where = f" · <{permalink}|open the conversation>" if permalink else ""
        return f"{notice.kind.spec.digest_words}{where}"
    return RENDERERS[notice.kind][1](notice, ctx)
