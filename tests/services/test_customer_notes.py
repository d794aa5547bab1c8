"""What the customer of a shared channel hears in their thread, and what stays on the card.

Filed, taken, waiting on you and resolved reach the customer's thread; nothing else does.
The triage card's thread is internal: a desk member writing there does not answer them.
"""

from __future__ import annotations

from bot.domain.changes import CustomerNoteKind
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import IntakeChannel, Priority
from bot.services import changes
from bot.services.filing import RequestDraft, file_request
from bot.services.replies import ReplyOutcome
from tests.services.timer_fakes import ENGINEER, ONCALL, REQUESTER
from tests.services.timer_world import TimerWorld

THREAD = ConversationRef("C0ACMESHARED", "1700000500.000100")


def _file(world: TimerWorld, priority: Priority = Priority.HIGH) -> Request:
    draft = RequestDraft(
        team_id="T0ACME",
        requester_id=REQUESTER,
        subject="Inbox spins",
        description="The inbox spins forever.",
        priority=priority,
        intake_channel=IntakeChannel.CHAT,
        account_id=1,
        customer_channel_id=THREAD.channel_id,
        customer_thread_ts=THREAD.ts,
    )
    return file_request(world.desk, draft=draft, delivery_key="prompt:1").request


def _told(world: TimerWorld) -> list[tuple[ConversationRef, CustomerNoteKind, str | None]]:
    return [
        (thread, note.kind, note.actor_id) for _, thread, note in world.messenger.customer_notes
    ]


def test_filing_tells_the_customer_in_their_thread_and_sends_no_dm(desk_world: TimerWorld) -> None:
    request = _file(desk_world)

    assert desk_world.messenger.roots == [(request.key, "C_SUPPORT")]
    assert _told(desk_world) == [(THREAD, CustomerNoteKind.FILED, None)]
    assert desk_world.messenger.opened == []


def test_a_late_opening_tells_the_customer_then_and_never_dms_the_card(
    desk_world: TimerWorld,
) -> None:
    desk_world.messenger.failing_posts = 1
    request = _file(desk_world, Priority.CRITICAL)
    assert _told(desk_world) == []

    desk_world.at(request.created_at.add(seconds=10))

    assert desk_world.messenger.roots == [(request.key, "C_ONCALL")]
    assert _told(desk_world) == [(THREAD, CustomerNoteKind.FILED, None)]
    assert desk_world.messenger.opened == []


def test_taken_waiting_and_resolved_reach_the_customer_and_the_rest_does_not(
    desk_world: TimerWorld,
) -> None:
    request = _file(desk_world)
    desk_world.messenger.customer_notes.clear()

    desk_world.take(request)
    desk_world.change_priority(request, "medium")
    desk_world.wait_on_customer(request)
    desk_world.customer_replied(request)
    desk_world.escalate_to_development(request)
    changes.escalate_to_leadership(desk_world.desk, request_id=request.id, user_id=ENGINEER)
    desk_world.resolve(request)

    assert _told(desk_world) == [
        (THREAD, CustomerNoteKind.TAKEN, ENGINEER),
        (THREAD, CustomerNoteKind.WAITING, ENGINEER),
        (THREAD, CustomerNoteKind.RESOLVED, ENGINEER),
    ]
    # The card hears of every change, as before.
    assert len(desk_world.messenger.notes) == 7


def test_a_change_that_changes_nothing_tells_nobody(desk_world: TimerWorld) -> None:
    request = _file(desk_world)
    desk_world.take(request)
    desk_world.messenger.customer_notes.clear()

    desk_world.take(request)

    assert _told(desk_world) == []


def test_requests_without_a_customer_thread_tell_no_customer(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")

    desk_world.take(request)
    desk_world.resolve(request)

    assert desk_world.messenger.customer_notes == []


def test_a_desk_note_on_the_card_is_internal_and_not_the_first_response(
    desk_world: TimerWorld,
) -> None:
    request = _file(desk_world, Priority.CRITICAL)

    note = desk_world.respond(request, user=ONCALL, text="Checking the logs first.")

    assert note.outcome is ReplyOutcome.INTERNAL_NOTE
    fresh = desk_world.reload(request)
    assert fresh.first_responded_at is None and fresh.last_engineer_reply_at is None
    answer = desk_world.respond(request, user=ONCALL, thread=THREAD)
    assert answer.outcome is ReplyOutcome.FIRST_RESPONSE
    assert desk_world.reload(request).first_responder_id == ONCALL
