"""Ephemeral answers to `/kustomer-support help`, `status` and `list`."""

from __future__ import annotations

from collections.abc import Sequence

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.slack.ids import COMMAND
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    MESSAGE_BLOCK_LIMIT,
    Json,
    Message,
    context,
    divider,
    header,
    line_sections,
    section,
    user_text,
    when,
)
from bot.slack.surfaces.modals import CRITICAL_EXAMPLES
from bot.slack.text import escape

STATUS_REQUESTS = 10
LIST_REQUESTS = 100
_STATUS_INCIDENTS = 10


def help_message() -> Message:
    """How to use the desk: the commands, the impacts, and how a conversation works."""
    commands = (
        f"*`{COMMAND}`* opens the form to file a request.\n"
        f"*`{COMMAND} status`* shows whether the desk is open, current response targets, "
        "known incidents and your open requests.\n"
        f"*`{COMMAND} list`* lists your open requests.\n"
        f"*`{COMMAND} help`* shows this message."
    )
    impact = (
        "*Business impact* sets the first-response target: Low, Medium, High or Critical. "
        f"Choose *Critical* only when your team cannot work: {'; '.join(CRITICAL_EXAMPLES)}. "
        "Critical requests page our 24/7 on-call team, day and night."
    )
    habits = (
        "*One issue per request.* Each request gets its own conversation: reply in its "
        "thread, and file anything new as a new request.\n"
        "*Tell us how to work with you*: in the thread, by email, or on a video call.\n"
        "*Projects*: name one and its requests go to the same support engineer.\n"
        "*Escalation*: the *Escalate to leadership* button on a request alerts support "
        "leadership."
    )
    blocks = [header("Kustomer support"), section(commands), section(impact), section(habits)]
    return Message(text=f"How to use {COMMAND}", blocks=blocks)


def status_message(
    *,
    desk_open: bool,
    next_change: DateTime,
    targets: Sequence[tuple[Priority, str]],
    my_requests: Sequence[tuple[Request, str]],
    incidents: Sequence[str] = (),
) -> Message:
    """Desk hours, targets right now, known incidents and the user's open requests."""
    if desk_open:
        desk = f":large_green_circle: The support desk is *open* until {when(next_change)}."
    else:
        desk = (
            f":red_circle: The support desk is *closed* until {when(next_change)}. "
            "Critical requests are still answered 24/7 by on-call."
        )
    target_lines = "\n".join(f"• *{p.label}*: {escape(phrase)}" for p, phrase in targets)
    blocks: list[Json] = [header("Kustomer support status"), section(desk)]
    if target_lines:
        blocks.append(section(f"*First-response targets if you file now*\n{target_lines}"))
    blocks += _incident_blocks(incidents)
    blocks += [divider(), section(f"*Your open requests* ({len(my_requests)})")]
    if my_requests:
        lines = [request_line(request, left) for request, left in my_requests]
        budget = MESSAGE_BLOCK_LIMIT - len(blocks)
        more = f" — see `{COMMAND} list`"
        blocks += line_sections(lines, max_blocks=budget, max_lines=STATUS_REQUESTS, more=more)
    else:
        blocks.append(context("You have no open requests."))
    state = "open" if desk_open else "closed"
    return Message(text=f"The support desk is {state}.", blocks=blocks)


def _incident_blocks(incidents: Sequence[str]) -> list[Json]:
    if not incidents:
        return []
    lines = [f"• {user_text(line, 300)}" for line in incidents[:_STATUS_INCIDENTS]]
    more = len(incidents) - _STATUS_INCIDENTS
    if more > 0:
        lines.append(f"…and {more} more")
    return [section(":warning: *Known incidents*\n" + "\n".join(lines))]


def list_message(requests: Sequence[tuple[Request, str]]) -> Message:
    """The user's requests: key, subject, impact, status and time left, link-free."""
    if not requests:
        text = f"You have no open requests. File one with `{COMMAND}`."
        return Message(text=text, blocks=[section(text)])
    lines = [request_line(request, left) for request, left in requests]
    blocks = [header(f"Your requests ({len(requests)})")]
    blocks += line_sections(lines, max_blocks=MESSAGE_BLOCK_LIMIT - 1, max_lines=LIST_REQUESTS)
    return Message(text=f"Your requests ({len(requests)})", blocks=blocks)


def request_line(request: Request, left_phrase: str) -> str:
    """One request on one line, link-free: key, subject, impact, status, time left."""
    left = f" · {escape(left_phrase)}" if left_phrase else ""
    breached = " · :red_circle: breached" if request.breached_at else ""
    return (
        f"*{request.key}* {labels.subject(request, 80)} — {labels.impact(request)} · "
        f"{labels.status(request)}{left}{breached}"
    )
