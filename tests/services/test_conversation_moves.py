"""A change of impact across Critical moves the conversation to the other channel.

The change is committed first, with a publish timer as the promise of the new root
message; Slack failing only delays the move (the first retry within 10 s), never loses it,
and the thread left behind keeps counting for the request.
"""

from __future__ import annotations

from datetime import timedelta

from bot.db.models import TimerState
from bot.domain.changes import ChangeKind, ChangeNote
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import Priority
from bot.services.conversations import FIRST_RETRY
from bot.services.replies import ReplyOutcome
from tests.services.timer_fakes import ENGINEER, REQUESTER, Moved
from tests.services.timer_world import TimerWorld, local

FILED_AT = local(2026, 11, 18, 15, 0)
CHANGED_AT = local(2026, 11, 18, 15, 5)
SECOND = timedelta(seconds=1)


def _filed(world: TimerWorld, priority: str) -> tuple[Request, ConversationRef]:
    request = world.file(priority)
    assert request.conversation is not None
    world.clock.set(CHANGED_AT)
    return request, request.conversation


def _owed(world: TimerWorld, request: Request) -> list[str]:
    return [t.state for t in world.publish_timers(request) if t.state == TimerState.PENDING]


def _moved_once(
    world: TimerWorld, request: Request, *, old: ConversationRef, channel: str
) -> ConversationRef:
    """The request lives in a new thread in `channel`, linked once from the old one."""
    moved = world.reload(request)
    assert moved.conversation is not None
    assert moved.conversation.channel_id == channel
    assert moved.conversation != old
    assert not moved.conversation_pending
    assert world.messenger.roots == [(request.key, old.channel_id), (request.key, channel)]
    assert world.messenger.moved == [Moved(request.key, old, moved.conversation)]
    assert world.messenger.opened == []
    assert world.threads(request) == [old, moved.conversation]
    assert "conversation_moved" in world.events(request)
    assert _owed(world, request) == []
    return moved.conversation


def test_a_raise_to_critical_moves_the_conversation_to_oncall_at_once(
    desk_world: TimerWorld,
) -> None:
    request, old = _filed(desk_world, "high")

    change = desk_world.change_priority(request, "critical")

    assert change.changed
    new = _moved_once(desk_world, request, old=old, channel="C_ONCALL")
    assert change.request.conversation == new
    # The change is said where the conversation was; the move links both threads.
    note = ChangeNote(ChangeKind.PRIORITY_CHANGED, ENGINEER, Priority.HIGH, Priority.CRITICAL)
    assert desk_world.messenger.notes == [(request.key, note)]
    assert desk_world.at(CHANGED_AT.add(minutes=1)) == []
    assert len(desk_world.messenger.roots) == 2


def test_a_raise_to_critical_while_slack_fails_is_committed_and_moved_once_slack_is_back(
    desk_world: TimerWorld,
) -> None:
    request, old = _filed(desk_world, "high")
    # The change's own try fails, then the scheduler's first retry.
    desk_world.messenger.failing_posts = 2

    change = desk_world.change_priority(request, "critical")

    # The priority is committed all the same; the conversation stays put, its move is owed.
    assert change.changed
    raised = desk_world.reload(request)
    assert raised.priority is Priority.CRITICAL
    assert raised.first_response_due_at == FILED_AT.add(minutes=15)
    assert (raised.conversation, raised.conversation_pending) == (old, True)
    assert _owed(desk_world, request) == [TimerState.PENDING]
    assert desk_world.messenger.refreshed == [request.key]
    # The scheduler retries within 10 s of desk time ...
    assert desk_world.at(CHANGED_AT + FIRST_RETRY - SECOND) == []
    assert desk_world.messenger.attempts == [request.key] * 2
    assert desk_world.at(CHANGED_AT + FIRST_RETRY) == []
    assert desk_world.messenger.attempts == [request.key] * 3
    assert desk_world.reload(request).conversation_pending
    assert _owed(desk_world, request) == [TimerState.PENDING]
    # ... and again; Slack is back: the root is posted once, in the on-call channel.
    desk_world.at(CHANGED_AT + 2 * FIRST_RETRY)
    new = _moved_once(desk_world, request, old=old, channel="C_ONCALL")

    # Its Critical clock speaks in the new conversation; nothing is posted again.
    assert desk_world.at(local(2026, 11, 18, 15, 7, 30)) == [
        (request.key, "first_response_reminder")
    ]
    assert desk_world.last[0].request.conversation == new
    assert len(desk_world.messenger.roots) == 2
    # A reply in the thread left behind still counts for the request.
    result = desk_world.respond(request, thread=old)
    assert result.outcome is ReplyOutcome.FIRST_RESPONSE
    assert result.request is not None and result.request.id == request.id
    assert desk_world.reload(request).first_responded_at == local(2026, 11, 18, 15, 7, 30)


def test_a_lowering_from_critical_moves_the_conversation_back_to_support(
    desk_world: TimerWorld,
) -> None:
    request, old = _filed(desk_world, "critical")
    assert old.channel_id == "C_ONCALL"
    desk_world.messenger.failing_posts = 1

    change = desk_world.change_priority(request, "high")

    assert change.changed
    lowered = desk_world.reload(request)
    assert lowered.priority is Priority.HIGH
    assert (lowered.conversation, lowered.conversation_pending) == (old, True)
    assert desk_world.at(CHANGED_AT + FIRST_RETRY - SECOND) == []
    assert desk_world.messenger.published == [request.key]
    desk_world.at(CHANGED_AT + FIRST_RETRY)
    new = _moved_once(desk_world, request, old=old, channel="C_SUPPORT")

    # The High clock runs from the creation instant, in the support conversation.
    assert desk_world.at(local(2026, 11, 18, 15, 30)) == [(request.key, "first_response_reminder")]
    assert desk_world.last[0].request.conversation == new
    # Replies in either thread reach the request.
    requester = desk_world.respond(request, user=REQUESTER, text="Any news?", thread=old)
    assert requester.outcome is ReplyOutcome.REQUESTER_REPLY
    assert requester.request is not None and requester.request.id == request.id
    engineer = desk_world.respond(request, thread=new)
    assert engineer.outcome is ReplyOutcome.FIRST_RESPONSE


def test_a_change_that_stays_on_one_side_of_critical_does_not_move(
    desk_world: TimerWorld,
) -> None:
    request, old = _filed(desk_world, "low")

    desk_world.change_priority(request, "high")

    fresh = desk_world.reload(request)
    assert (fresh.conversation, fresh.conversation_pending) == (old, False)
    assert _owed(desk_world, request) == []
    assert desk_world.messenger.published == [request.key]
    assert desk_world.messenger.moved == []
