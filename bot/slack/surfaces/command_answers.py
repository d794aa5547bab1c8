"""Ephemeral answers to `/kustomer-support help`, `status` and `list`."""

from __future__ import annotations

from collections.abc import Sequence

from pendulum import DateTime

from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.services.status_queries import VendorStatus
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
    when,
)
from bot.slack.surfaces.modals import CRITICAL_EXAMPLES
from bot.slack.surfaces.vendor_status import vendor_status_blocks
from bot.slack.text import escape

STATUS_REQUESTS = 10
LIST_REQUESTS = 100
RECENT_REQUESTS = 5
_STATUS_INCIDENTS = 10
STATUS_VENDOR_BLOCKS = 6


def help_message() -> Message:
    """How to use the desk: the commands, the impacts, and how a conversation works."""
    commands = (
        f"*`{COMMAND}`* opens the form to file a request.\n"
        f"*`{COMMAND} status`* shows whether the desk is open, current response targets, "
        "known incidents and your open requests.\n"
        f"*`{COMMAND} list`* lists your open requests and the last ones resolved.\n"
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
    vendor: VendorStatus | None = None,
) -> Message:
    """Desk hours, targets right now, the vendor's incidents (now, and the last 90 days with
    each one's start, end and duration and the total downtime), the user's open requests."""
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
    if vendor is not None:
        blocks += vendor_status_blocks(
            vendor, max_blocks=STATUS_VENDOR_BLOCKS, max_lines=_STATUS_INCIDENTS
        )
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


def list_message(
    open_requests: Sequence[tuple[Request, str]],
    *,
    resolved: Sequence[Request] = (),
    account: str | None = None,
) -> Message:
    """The user's open requests (their account's, for a customer account), newest first,
    then at most 5 of theirs recently resolved; link-free.

    Each open request comes with the state word of its clock (bot/slack/phrases.py).
    """
    recent = resolved[:RECENT_REQUESTS]
    whose = "You have" if account is None else f"{escape(account)} has"
    if not open_requests and not recent:
        text = f"{whose} no open requests. File one with `{COMMAND}`."
        return Message(text=text, blocks=[section(text)])
    owner = "Your" if account is None else f"{escape(account)}'s"
    title = f"{owner} open requests ({len(open_requests)})"
    blocks = [header(title)]
    tail = recently_resolved_blocks(recent)
    if open_requests:
        lines = [request_line(request, state) for request, state in open_requests]
        budget = MESSAGE_BLOCK_LIMIT - len(blocks) - len(tail)
        blocks += line_sections(lines, max_blocks=budget, max_lines=LIST_REQUESTS)
    else:
        blocks.append(context(f"{whose} no open requests."))
    return Message(text=title, blocks=blocks + tail)


def recently_resolved_blocks(requests: Sequence[Request]) -> list[Json]:
    """A "Recently resolved" line and the requests under it (nothing when there are none)."""
    if not requests:
        return []
    lines = [resolved_line(request) for request in requests]
    return [section("*Recently resolved*"), section("\n".join(lines))]


def request_line(request: Request, state: str) -> str:
    """One request on one line, link-free: key, subject, impact, status and its clock."""
    breached = request.breached_at or request.resolution_breached_at
    flag = " · :red_circle: breached" if breached else ""
    return (
        f"*{request.key}* {labels.subject(request, 80)} — {labels.impact(request)} · "
        f"{labels.status(request)} · {clock_text(request, state)}{flag}"
    )


def clock_text(request: Request, state: str) -> str:
    """The clock that matters now, as a date token, with its state word in brackets."""
    if not request.is_open:
        return f"resolved {when(request.resolved_at)}" if request.resolved_at else "resolved"
    note = f" ({escape(state)})" if state else ""
    if request.first_responded_at is None:
        return f"first response due {when(request.first_response_due_at)}{note}"
    if request.resolution_due_at is None or not request.resolution_counts:
        return "answered"
    return f"answered · resolution due {when(request.resolution_due_at)}{note}"


def resolved_line(request: Request) -> str:
    """A resolved request: key, subject, impact and when it was resolved."""
    resolved = f" · resolved {when(request.resolved_at)}" if request.resolved_at else ""
    return f"*{request.key}* {labels.subject(request, 80)} — {labels.impact(request)}{resolved}"


def form_not_opened(*, support_email: str) -> Message:
    """The filing form did not open (Slack failed or did not answer in time): try again."""
    text = (
        f"Sorry, the form to file a request did not open: Slack did not answer in time. "
        f"Please type `{COMMAND}` again in a moment."
    )
    if support_email:
        text += f" If it still does not open, email {escape(support_email)}."
    return Message(text=text, blocks=[section(text)])
