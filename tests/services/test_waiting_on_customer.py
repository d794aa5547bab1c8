"""Waiting on the customer: the requester's reply, or the button, resumes the clock it paused."""

from __future__ import annotations

from bot.domain.changes import ChangeKind, ChangeNote
from bot.domain.model import Request
from bot.domain.requests import RequestStatus
from bot.services.replies import ReplyOutcome
from tests.services.timer_fakes import REQUESTER
from tests.services.timer_world import TimerWorld, local

RESUMED = ChangeNote(ChangeKind.RESUMED, REQUESTER)
BACK_TO_DEVELOPMENT = ChangeNote(ChangeKind.RESUMED, REQUESTER, back_to_development=True)


def _waiting_for_a_day(world: TimerWorld) -> Request:
    """A High request answered, then waiting on the customer from Thursday to Friday 15:00."""
    request = world.file("high")
    world.take(request)
    world.respond(request)
    world.clock.set(local(2026, 11, 19, 15, 0))
    world.wait_on_customer(request)
    world.clock.set(local(2026, 11, 20, 15, 0))
    world.messenger.refreshed.clear()
    world.messenger.notes.clear()
    return world.reload(request)


def test_the_requesters_reply_resumes_the_clock_like_the_button(desk_world: TimerWorld) -> None:
    request = _waiting_for_a_day(desk_world)
    key = request.key

    result = desk_world.respond(request, user=REQUESTER, text="Here is the HAR file you asked for.")

    assert result.outcome is ReplyOutcome.REQUESTER_REPLY
    assert result.request is not None
    assert result.request.status is RequestStatus.IN_PROGRESS
    fresh = desk_world.reload(request)
    assert (fresh.status, fresh.resolution_paused_since) == (RequestStatus.IN_PROGRESS, None)
    assert fresh.resolution_paused_seconds == 24 * 3600
    # As with the button (test_timer_clocks): due Wednesday 12:00 instead of Tuesday.
    assert fresh.resolution_due_at == local(2026, 11, 25, 12)
    assert desk_world.messenger.refreshed == [key]
    assert desk_world.messenger.notes == [(key, RESUMED)]
    assert desk_world.at(local(2026, 11, 24, 16, 47)) == []
    assert desk_world.at(local(2026, 11, 24, 16, 48)) == [(key, "resolution_reminder")]


def test_a_requester_reply_when_nothing_waits_changes_nothing(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    version = desk_world.reload(request).version

    result = desk_world.respond(request, user=REQUESTER, text="Thanks, we will try that.")

    assert result.outcome is ReplyOutcome.REQUESTER_REPLY
    fresh = desk_world.reload(request)
    assert (fresh.status, fresh.version) == (RequestStatus.IN_PROGRESS, version)
    assert desk_world.messenger.notes == []


def test_another_issue_in_the_reply_leaves_the_request_waiting(desk_world: TimerWorld) -> None:
    request = _waiting_for_a_day(desk_world)

    result = desk_world.respond(request, user=REQUESTER, text="Another issue: SSO fails too.")

    assert result.outcome is ReplyOutcome.ANOTHER_ISSUE
    assert desk_world.reload(request).status is RequestStatus.WAITING_ON_CUSTOMER


def test_after_an_escalation_to_development_the_reply_hands_it_back_to_development(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    desk_world.escalate_to_development(request)
    desk_world.wait_on_customer(request)

    desk_world.customer_replied(request)

    fresh = desk_world.reload(request)
    assert (fresh.status, fresh.resolution_paused_since) == (
        RequestStatus.ESCALATED_TO_DEVELOPMENT,
        None,
    )
    assert desk_world.messenger.notes[-1] == (request.key, BACK_TO_DEVELOPMENT)
    assert desk_world.pending(request) == []


def test_the_requesters_reply_after_an_escalation_also_goes_back_to_development(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")
    desk_world.respond(request)
    desk_world.escalate_to_development(request)
    desk_world.wait_on_customer(request)

    desk_world.respond(request, user=REQUESTER, text="Logs attached.")

    assert desk_world.reload(request).status is RequestStatus.ESCALATED_TO_DEVELOPMENT
