"""Day one on a real support desk: who works it, how high a requester may go, who is pinged.

Erin is in the support group, Olga only in the on-call group; Carl is the requester.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from pendulum import DateTime

from bot.domain.changes import ChangeKind
from bot.domain.errors import NotAllowed
from bot.domain.requests import Priority, RequestStatus
from bot.services.replies import ReplyOutcome
from tests.services.timer_fakes import ENGINEER, ONCALL, REQUESTER
from tests.services.timer_world import TimerWorld, local

WEDNESDAY = (2026, 11, 18)
STRANGER = "U_OTTO"


# On-call is part of the desk


def test_an_oncall_member_takes_answers_and_resolves(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")

    taken = desk_world.take(request, user=ONCALL)
    desk_world.clock.set(local(*WEDNESDAY, 15, 10))
    reply = desk_world.respond(request, user=ONCALL)

    assert taken.changed and taken.request.assignee_id == ONCALL
    assert reply.outcome is ReplyOutcome.FIRST_RESPONSE
    fresh = desk_world.reload(request)
    assert (fresh.first_responded_at, fresh.first_responder_id) == (
        local(*WEDNESDAY, 15, 10),
        ONCALL,
    )
    assert fresh.status is RequestStatus.IN_PROGRESS
    # The first response stops the first-response clock: no ping, no breach.
    assert desk_world.at(local(*WEDNESDAY, 17, 0)) == []
    assert desk_world.resolve(request, user=ONCALL).request.status is RequestStatus.RESOLVED
    assert desk_world.pending(request) == []


def test_a_later_oncall_reply_is_an_update(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)

    reply = desk_world.respond(request, user=ONCALL)

    assert reply.outcome is ReplyOutcome.ENGINEER_UPDATE
    assert desk_world.reload(request).first_responder_id == ENGINEER


def test_someone_outside_both_groups_may_not_take(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")

    with pytest.raises(NotAllowed):
        desk_world.take(request, user=STRANGER)
    reply = desk_world.respond(request, user=STRANGER)

    assert reply.outcome is ReplyOutcome.OTHER
    assert desk_world.reload(request).assignee_id is None


# Critical always pages on-call


def test_a_critical_filed_with_a_project_is_not_assigned(desk_world: TimerWorld) -> None:
    first = desk_world.file("high", project="Acme rollout")
    desk_world.take(first)

    routine = desk_world.file("medium", project="acme rollout")
    critical = desk_world.file("critical", project="Acme rollout")

    assert desk_world.reload(routine).assignee_id == ENGINEER  # project routing still works
    fresh = desk_world.reload(critical)
    assert fresh.assignee_id is None
    assert fresh.project == "Acme rollout"
    assert (critical.key, "C_ONCALL") in desk_world.messenger.roots


# The route sets the ceiling


@pytest.mark.parametrize(
    ("route", "filed_at", "raised_to"),
    [("email", "medium", "high"), ("email", "medium", "critical"), ("chat", "high", "critical")],
    ids=["email-to-high", "email-to-critical", "chat-to-critical"],
)
def test_a_requesters_refused_raise_changes_nothing(
    desk_world: TimerWorld, route: str, filed_at: str, raised_to: str
) -> None:
    request = desk_world.file(filed_at, route=route)
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    before = desk_world.reload(request)
    timers = desk_world.pending(request)
    desk_world.messenger.refreshed.clear()

    with pytest.raises(NotAllowed):
        desk_world.change_priority(request, raised_to, user=REQUESTER)

    assert desk_world.reload(request) == before
    assert desk_world.pending(request) == timers
    assert desk_world.messenger.refreshed == [request.key]  # the menu shows the real impact
    assert desk_world.messenger.notes == []
    assert desk_world.messenger.published == [request.key]  # the conversation did not move
    assert "priority_changed" not in desk_world.events(request)


def test_an_email_requester_may_lower_their_request(desk_world: TimerWorld) -> None:
    request = desk_world.file("medium", route="email")

    change = desk_world.change_priority(request, "low", user=REQUESTER)

    assert change.changed and change.request.priority is Priority.LOW
    # And back up to the route's ceiling, but no further.
    assert desk_world.change_priority(request, "medium", user=REQUESTER).changed
    with pytest.raises(NotAllowed):
        desk_world.change_priority(request, "high", user=REQUESTER)


def test_a_chat_requester_may_raise_to_high(desk_world: TimerWorld) -> None:
    request = desk_world.file("medium")

    change = desk_world.change_priority(request, "high", user=REQUESTER)

    assert change.request.priority is Priority.HIGH
    assert desk_world.messenger.notes[-1][1].kind is ChangeKind.PRIORITY_CHANGED


@pytest.mark.parametrize("member", [ENGINEER, ONCALL])
def test_a_desk_member_raises_an_emailed_request_to_critical(
    desk_world: TimerWorld, member: str
) -> None:
    request = desk_world.file("medium", route="email")

    change = desk_world.change_priority(request, "critical", user=member)

    assert change.request.priority is Priority.CRITICAL
    assert desk_world.messenger.roots[-1] == (request.key, "C_ONCALL")
    # The requester may still lower what the desk raised.
    assert desk_world.change_priority(request, "high", user=REQUESTER).changed


# No Critical update nudges while the desk waits on the customer or on Development


def test_no_update_nudges_while_waiting_on_the_customer_until_they_reply(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(request)
    desk_world.clock.set(local(*WEDNESDAY, 15, 10))
    desk_world.wait_on_customer(request)

    assert _sent_every_ten_minutes(desk_world, until=local(*WEDNESDAY, 17, 10)) == []
    desk_world.respond(request, user=REQUESTER, text="Here are the logs.")  # 17:10

    # The cadence restarts from the reply: a whole interval, not the missed ones at once.
    assert desk_world.at(local(*WEDNESDAY, 17, 39)) == []
    assert desk_world.at(local(*WEDNESDAY, 17, 40)) == [(request.key, "critical_update")]
    assert desk_world.at(local(*WEDNESDAY, 18, 10)) == [(request.key, "critical_update")]


def test_no_update_nudges_while_development_has_it(desk_world: TimerWorld) -> None:
    request = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(request)
    desk_world.clock.set(local(*WEDNESDAY, 15, 10))
    desk_world.escalate_to_development(request)

    assert _sent_every_ten_minutes(desk_world, until=local(*WEDNESDAY, 17, 10)) == []
    assert desk_world.pending(request) == []


def test_an_update_nudge_due_as_the_desk_starts_waiting_is_not_said(
    desk_world: TimerWorld,
) -> None:
    """A nudge row already due when the status changes is stale: the change re-planned."""
    request = desk_world.file("critical")
    desk_world.clock.set(local(*WEDNESDAY, 15, 5))
    desk_world.respond(request)
    desk_world.clock.set(local(*WEDNESDAY, 15, 40))  # the 15:35 nudge is due, not yet ticked
    desk_world.wait_on_customer(request)

    assert desk_world.at(local(*WEDNESDAY, 15, 40)) == []


def _sent_every_ten_minutes(world: TimerWorld, *, until: DateTime) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []
    instant = world.clock.now()
    while instant < until:
        instant = instant + timedelta(minutes=10)
        sent.extend(world.at(instant))
    return sent


# The resolution reminder goes to the assignee, once


def test_the_resolution_reminder_goes_to_the_assignee_once_at_80_percent(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.take(request)
    desk_world.respond(request)

    reminders = [k for k, _ in desk_world.pending(request) if k == "resolution_reminder"]
    assert reminders == ["resolution_reminder"]
    assert desk_world.at(local(2026, 11, 23, 16, 48)) == [(request.key, "resolution_reminder")]
    notice = desk_world.last[0]
    assert (notice.fraction, notice.request.assignee_id) == (0.8, ENGINEER)
    assert desk_world.at(local(2026, 11, 24, 11, 59)) == []


def test_nobody_is_reminded_of_an_unassigned_request_but_its_breach_escalates(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)

    assert desk_world.at(local(2026, 11, 24, 11, 59)) == []
    assert desk_world.at(local(2026, 11, 24, 12, 0)) == [
        (request.key, "resolution_breach"),
        (request.key, "resolution_escalation"),
    ]


def test_taking_the_request_late_starts_no_reminder_already_past(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    desk_world.clock.set(local(2026, 11, 23, 17, 0))  # past the 80 % instant

    desk_world.take(request, user=ONCALL)

    assert [k for k, _ in desk_world.pending(request)] == ["resolution_breach"]
