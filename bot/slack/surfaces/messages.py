"""A request's root message (its conversation) and the confirmation to its requester."""

from __future__ import annotations

from bot.domain.accounts import Account
from bot.domain.incidents import Incident
from bot.domain.model import Request
from bot.domain.requests import Priority, RequestStatus
from bot.slack.forms import priority_option_value
from bot.slack.ids import Action, Block
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    SECTION_LIMIT,
    Json,
    Message,
    actions,
    button,
    confirm_dialog,
    fields,
    header,
    option,
    section,
    static_select,
    user_ref,
    user_text,
    when,
)
from bot.slack.surfaces.command_answers import help_message, list_message, status_message
from bot.slack.surfaces.notices import escalation_post
from bot.slack.surfaces.outages import incident_context
from bot.slack.surfaces.requester_notes import (
    another_issue_note,
    conversation_link,
    conversation_opened,
    email_route_note,
    status_change_note,
)
from bot.slack.surfaces.triage import account_label, customer_thread_line
from bot.slack.text import escape, mention_group

# Callers may import every message builder from here; the short ones live in notes.py,
# notices.py and replies.py to keep modules small.
__all__ = [
    "another_issue_note",
    "conversation_opened",
    "email_route_note",
    "escalation_post",
    "filing_confirmation",
    "help_message",
    "list_message",
    "request_root",
    "status_change_note",
    "status_message",
]


def request_root(
    request: Request,
    *,
    oncall_group_id: str | None = None,
    project_owner: bool = False,
    incident: Incident | None = None,
    merged: bool = False,
    account: Account | None = None,
    customer_link: str | None = None,
) -> Message:
    """The conversation's root message: what, who, both clocks and the desk's buttons.

    It stays posted for days and is updated only on changes, so its instants are date
    tokens and nothing in it says how much time is left. `incident` is the vendor incident
    it is linked to (or part of); `merged` when its page went to that incident's summary.
    `account` is the customer's (§11); `customer_link` the permalink of their own thread.
    """
    blocks: list[Json] = [header(labels.title(request))]
    if _waiting_for_oncall(request):
        blocks.append(section(_oncall_line(oncall_group_id)))
    if line := customer_thread_line(request, link=customer_link):
        blocks.append(section(line))
    summary = _summary(request, project_owner)
    if account is not None:
        summary.insert(3, ("Account", account_label(account)))
    blocks.append(fields(summary, block_id=Block.REQUEST_SUMMARY))
    blocks.append(fields(_clocks(request)))
    description = user_text(request.description.strip(), SECTION_LIMIT)
    blocks.append(section(description or "_No description._"))
    if incident is not None:
        blocks.append(incident_context(incident, merged=merged))
    # A new block id per version: Slack clients keep a person's own menu choice across an
    # update of a block with the same id, so a refused impact change would look accepted.
    actions_id = f"{Block.REQUEST_ACTIONS}.v{request.version}"
    blocks.append(actions(_buttons(request), block_id=actions_id))
    text = f"{request.key} · {labels.impact(request)} · {labels.subject(request)}"
    return Message(text=text, blocks=blocks)


def _waiting_for_oncall(request: Request) -> bool:
    """A Critical request nobody has answered yet: the on-call line stays at the top."""
    return (
        labels.is_critical(request)
        and not labels.is_resolved(request)
        and request.first_responded_at is None
    )


def _oncall_line(group_id: str | None) -> str:
    who = f"{mention_group(group_id)} " if group_id else ""
    return f":rotating_light: {who}*Critical* request: the on-call team is needed now."


def _summary(request: Request, project_owner: bool) -> list[tuple[str, str]]:
    """Who and what: impact, status, people, area, contact, kind, intake and project."""
    assignee = user_ref(request.assignee_id)
    if request.assignee_id and project_owner:
        assignee += " (project owner)"
    requester = user_ref(request.requester_id, fallback=escape(request.requester_name or "?"))
    if request.requester_contact:
        # Emailed: the requester is who wrote the email, not the integration that posted it.
        address = escape(request.requester_contact)
        name = escape(request.requester_name)
        requester = f"{name} <mailto:{address}|{address}>".strip()
    items = [
        ("Impact", labels.impact(request)),
        ("Status", labels.status(request)),
        ("Requester", requester),
        ("Assignee", assignee),
        ("Area", labels.area(request)),
        ("Contact preference", labels.contact(request)),
        ("Kind", labels.kind(request)),
        ("Intake", labels.intake(request)),
    ]
    if request.project:
        items.append(("Project", user_text(request.project, 200)))
    return items


def _clocks(request: Request) -> list[tuple[str, str]]:
    """The first-response and resolution clocks, as each reader's local time."""
    if request.first_responded_at is not None:
        first = ("First response", f"Responded {when(request.first_responded_at)}")
    else:
        first = ("First response due", when(request.first_response_due_at))
    if request.breached_at is not None:
        first = (first[0], f"{first[1]}\n:red_circle: *BREACHED* {when(request.breached_at)}")
    return [first, ("Resolution", _resolution(request))]


def _resolution(request: Request) -> str:
    if labels.is_resolved(request):
        return f"Resolved {when(request.resolved_at)}" if request.resolved_at else "Resolved"
    if _escalated_to_development(request):
        return "escalated to Development — off the resolution clock"
    if request.status == RequestStatus.WAITING_ON_CUSTOMER or request.resolution_paused_since:
        return "paused — waiting on customer"
    if request.resolution_due_at is None:
        return "not scheduled"
    due = f"Due {when(request.resolution_due_at)}"
    if request.resolution_breached_at is None:
        return due
    return f"{due}\n:red_circle: *BREACHED* {when(request.resolution_breached_at)}"


def _buttons(request: Request) -> list[Json]:
    """The desk's actions; every element carries the request id."""
    value = str(request.id)
    report = button("Report another issue", action_id=Action.REPORT_ANOTHER, value=value)
    if labels.is_resolved(request):
        return [report]
    take = "Reassign to me" if request.assignee_id else "Take it"
    elements = [
        button(take, action_id=Action.TAKE, value=value),
        _priority_select(request),
    ]
    if request.status == RequestStatus.WAITING_ON_CUSTOMER:
        waiting = button("Customer replied", action_id=Action.CUSTOMER_REPLIED, value=value)
    else:
        waiting = button("Waiting on customer", action_id=Action.WAIT_ON_CUSTOMER, value=value)
    elements.append(waiting)
    if not _escalated_to_development(request):
        elements.append(
            button("Escalate to Development", action_id=Action.ESCALATE_DEVELOPMENT, value=value)
        )
    if request.escalated_to_leadership_at is None:
        elements.append(_leadership_button(request, value))
    elements += [_resolve_button(request, value), report]
    return elements


def _escalated_to_development(request: Request) -> bool:
    return request.with_development


def _priority_select(request: Request) -> Json:
    """Change priority: options carry "id:priority"; the current one is preselected."""
    options = [option(p.label, priority_option_value(request.id, p)) for p in Priority]
    return static_select(
        action_id=Action.CHANGE_PRIORITY,
        placeholder="Change priority",
        options=options,
        initial_value=priority_option_value(request.id, request.priority),
    )


def _leadership_button(request: Request, value: str) -> Json:
    dialog = confirm_dialog(
        title="Escalate to leadership?",
        text=f"Support leadership will be asked to look at *{request.key}* now.",
        confirm="Escalate",
        deny="Not now",
    )
    return button(
        "Escalate to leadership",
        action_id=Action.ESCALATE_LEADERSHIP,
        value=value,
        confirm=dialog,
    )


def _resolve_button(request: Request, value: str) -> Json:
    dialog = confirm_dialog(
        title="Resolve this request?",
        text=(
            f"*{request.key}* will be closed and its clocks stopped. "
            "A later reply in the thread is answered with a new-request form."
        ),
        confirm="Resolve",
        deny="Not yet",
    )
    return button("Resolve", action_id=Action.RESOLVE, value=value, style="primary", confirm=dialog)


def filing_confirmation(request: Request, *, permalink: str | None) -> Message:
    """Tells the requester their request is filed, where it went and when to expect us.

    A DM stays in the requester's history: the due instant is a date token, never "in 1 h".
    """
    where = labels.channel_ref(request.slack_channel_id)
    subject = labels.subject(request)
    lines = [f":white_check_mark: Your request *{request.key}* is filed: {subject}."]
    if request.customer_thread is not None:
        # Filed from a shared channel: the customer's thread is theirs; the card is internal.
        shared = labels.channel_ref(request.customer_channel_id) or "your shared channel"
        lines.append(f"We will answer in your thread in {shared}.")
    elif request.thread_ts is None:
        # Slack failed to take the root message: the scheduler posts it in a moment.
        lines.append("Its own conversation opens shortly; we will send you the link here.")
    elif where:
        lines.append(f"It has its own conversation in {where}.")
    if labels.is_critical(request):
        lines.append("It is *Critical*: our 24/7 on-call team has been paged.")
    elif labels.is_email(request):
        lines.append("It came through the email route, so it is handled at *Medium* impact.")
    lines.append(f"First response due {when(request.first_response_due_at)}.")
    lines.append(f"How we will work with you: {labels.contact(request)}.")
    blocks = [section("\n".join(lines)), *conversation_link(permalink)]
    return Message(text=f"Your request {request.key} is filed.", blocks=blocks)
