"""The App Home tab: desk hours, the viewer's requests, and for engineers the queue and SLA."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.domain.model import Request
from bot.domain.sla import format_duration
from bot.services.home import MY_OPEN_ROWS, MY_RECENT_ROWS, QUEUE_ROWS, Home, MyRequests, TeamView
from bot.services.reporting import SlaReport, Tally
from bot.slack.forms import prefill_value
from bot.slack.ids import COMMAND, Action
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import (
    Json,
    actions,
    button,
    confirm_dialog,
    context,
    divider,
    fields,
    header,
    line_sections,
    section,
    user_ref,
    user_text,
    when,
)
from bot.slack.surfaces.command_answers import clock_text, recently_resolved_blocks, request_line
from bot.slack.surfaces.vendor_status import vendor_status_blocks

# Slack allows 100 blocks on a Home tab; the largest layout here stays near 65.
MAX_BLOCKS = 100
MY_OPEN_BLOCKS = 6
VENDOR_BLOCKS = 8
QUEUE_ORDER = (
    "Unanswered first, breached ones on top, by first-response due; "
    "then answered ones by resolution due."
)

# The state word of a request's clock as of the Home's instant (bot/slack/phrases.py).
ClockState = Callable[[Request], str]


def home_view(home: Home, *, state: ClockState) -> Json:
    """The Home tab view for `home.user_id`: instants as date tokens, each with a state word."""
    blocks = _top(home)
    if home.vendor is not None:
        blocks += vendor_status_blocks(home.vendor, max_blocks=VENDOR_BLOCKS, max_lines=20)
    if home.team is not None:
        blocks += queue_blocks(home.team, viewer_id=home.user_id, state=state)
        blocks += report_blocks(home.team.report)
    if home.team is None or home.mine.open or home.mine.recent:
        blocks += mine_blocks(home.mine, state=state)
    blocks.append(context(f"Updated {when(home.now)}. Times show in your own timezone."))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def _top(home: Home) -> list[Json]:
    hours = home.hours
    if hours.open_now:
        desk = f":large_green_circle: The support desk is *open* until {when(hours.next_change)}."
    else:
        desk = (
            f":red_circle: The support desk is *closed* until {when(hours.next_change)}. "
            "Critical requests are still answered 24/7 by on-call."
        )
    buttons = [
        button(
            "File a request", action_id=Action.OPEN_FILING, value=prefill_value(""), style="primary"
        ),
        button("Refresh", action_id=Action.HOME_REFRESH, value="home"),
    ]
    return [header("Kustomer support"), section(desk), actions(buttons)]


def mine_blocks(mine: MyRequests, *, state: ClockState) -> list[Json]:
    """The viewer's open requests with their due instants, then the ones resolved last."""
    blocks = [divider(), section(f"*Your open requests* ({mine.open_total})")]
    shown = mine.open[:MY_OPEN_ROWS]
    if shown:
        lines = [request_line(request, state(request)) for request in shown]
        blocks += line_sections(lines, max_blocks=MY_OPEN_BLOCKS)
        if mine.open_total > len(shown):
            more = mine.open_total - len(shown)
            blocks.append(context(f"…and {more} more — see `{COMMAND} list`"))
    else:
        blocks.append(
            context(f"You have no open requests. File one with the button above or `{COMMAND}`.")
        )
    return blocks + recently_resolved_blocks(mine.recent[:MY_RECENT_ROWS])


def queue_blocks(team: TeamView, *, viewer_id: str, state: ClockState) -> list[Json]:
    """The head of the open queue in its order, each with Take and Resolve."""
    summary = f"*Queue* — {team.queue_total} open"
    if team.breached_total:
        summary += f", :red_circle: {team.breached_total} breached"
    blocks = [divider(), section(summary), context(QUEUE_ORDER)]
    shown = team.queue[:QUEUE_ROWS]
    for request in shown:
        account = team.accounts.get(request.account_id) if request.account_id else None
        line = queue_line(request, viewer_id=viewer_id, state=state(request), account=account)
        blocks.append(section(line))
        blocks.append(actions(_queue_buttons(request, viewer_id=viewer_id)))
    if not shown:
        blocks.append(context("The queue is empty: every request is resolved."))
    elif team.queue_total > len(shown):
        more = team.queue_total - len(shown)
        blocks.append(context(f"…and {more} more open requests further down the queue."))
    return blocks


def queue_line(request: Request, *, viewer_id: str, state: str, account: str | None = None) -> str:
    """Key, subject, the customer account, impact, status, who has it, the clock, and where
    it is discussed."""
    breached = request.breached_at is not None or request.resolution_breached_at is not None
    flag = ":red_circle: " if breached else ""
    if request.assignee_id and request.assignee_id == viewer_id:
        who = "*assigned to you*"
    else:
        who = user_ref(request.assignee_id, fallback="unassigned")
    # The tab is redrawn only now and then: a date token and a state word stay true.
    parts = [labels.impact(request), labels.status(request), who, clock_text(request, state)]
    if account:
        parts.insert(0, user_text(account, 60))
    where = labels.channel_ref(request.slack_channel_id)
    if where:
        parts.append(f"in {where}")
    return f"{flag}*{request.key}* {labels.subject(request, 80)}\n" + " · ".join(parts)


def _queue_buttons(request: Request, *, viewer_id: str) -> list[Json]:
    value = str(request.id or 0)
    elements: list[Json] = []
    if request.assignee_id != viewer_id:
        take = "Reassign to me" if request.assignee_id else "Take it"
        elements.append(button(take, action_id=Action.TAKE, value=value))
    dialog = confirm_dialog(
        title="Resolve this request?",
        text=f"*{request.key}* will be closed and its clocks stopped.",
        confirm="Resolve",
        deny="Not yet",
    )
    elements.append(
        button("Resolve", action_id=Action.RESOLVE, value=value, style="primary", confirm=dialog)
    )
    return elements


def report_blocks(report: SlaReport) -> list[Json]:
    """The SLA report: one field per priority and one for all of them."""
    day = report.since
    since = f"filed since {day:%b} {day.day}, {day.year}" if day else "filed at any time"
    items = [(priority.label, tally_text(tally)) for priority, tally in report.priorities]
    items.append(("All priorities", tally_text(report.totals)))
    return [
        divider(),
        section(f"*SLA report* — requests {since}"),
        fields(items),
        context(
            "On time: first response by its due. Attainment = on time ÷ (on time + late); "
            "an unanswered request counts late once its due passes. Business time counts "
            "open desk hours only. Resolution excludes requests escalated to Development."
        ),
    ]


def tally_text(tally: Tally) -> str:
    """One priority's numbers in a few short lines."""
    lines = [
        f"{tally.filed} filed · {tally.open_breaches} open breach"
        + ("" if tally.open_breaches == 1 else "es"),
        f"First response: {tally.first_response_on_time} on time, "
        f"{tally.first_response_late} late — *{_pct(tally.attainment_pct)}*",
        "Median "
        + _times(
            tally.median_first_response_business_seconds, tally.median_first_response_wall_seconds
        ),
        "90th pct "
        + _times(tally.p90_first_response_business_seconds, tally.p90_first_response_wall_seconds),
        _resolution(tally),
    ]
    return "\n".join(lines)


def _resolution(tally: Tally) -> str:
    judged = tally.resolved_within_target + tally.resolved_late + tally.unresolved_past_target
    text = (
        f"In 4 business days: {tally.resolved_within_target} of {judged} "
        f"({_pct(tally.resolution_attainment_pct)})"
    )
    if tally.resolution_excluded_escalated:
        text += f" · {tally.resolution_excluded_escalated} with Development"
    return text


def _times(business: int | None, wall: int | None) -> str:
    return f"{_duration(business)} business · {_duration(wall)} wall"


def _duration(seconds: int | None) -> str:
    return "—" if seconds is None else format_duration(timedelta(seconds=seconds))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"
