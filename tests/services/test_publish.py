"""A request's conversation is never lost: a root message Slack refused is posted later."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.db.models import TimerState
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import RequestStatus
from bot.domain.timer_kinds import TimerKind
from bot.services.conversations import (
    FIRST_RETRY,
    LEASE,
    PUBLISH_GRACE,
    open_conversation,
    post_root,
)
from bot.services.ledger import MAX_ATTEMPTS
from bot.services.timers import CONVERSATION_WAIT
from tests.services.timer_fakes import SLACK_DOWN
from tests.services.timer_world import TimerWorld, local

FILED_AT = local(2026, 11, 18, 15, 0)
SECOND = timedelta(seconds=1)
LOGGER = "bot.services.conversations"


def _file_while_slack_fails(
    world: TimerWorld, priority: str = "high", failures: int = 1
) -> Request:
    world.messenger.failing_posts = failures
    request = world.file(priority)
    assert request.conversation is None
    assert request.conversation_pending
    return request


def test_filing_opens_the_conversation_at_once_and_nothing_posts_it_again(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")

    assert request.conversation is not None
    assert request.conversation.channel_id == "C_SUPPORT"
    assert not request.conversation_pending
    [timer] = desk_world.publish_timers(request)
    assert (timer.state, timer.attempts) == (TimerState.DONE, 0)
    assert desk_world.at(FILED_AT + PUBLISH_GRACE) == []
    assert desk_world.messenger.roots == [(request.key, "C_SUPPORT")]
    assert desk_world.threads(request) == [request.conversation]
    # The filing confirmation links the conversation itself: no separate note.
    assert desk_world.messenger.opened == []


def test_a_failed_post_files_the_request_and_the_scheduler_opens_it_within_10_seconds(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    # Changed on purpose: the first retry comes within 10 s, not after the 60 s grace.
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        request = _file_while_slack_fails(desk_world)

    [warning] = caplog.records
    assert request.key in warning.getMessage() and SLACK_DOWN in warning.getMessage()
    assert desk_world.reload(request).status is RequestStatus.NEW
    [timer] = desk_world.publish_timers(request)
    assert (timer.state, timer.claimed_by) == (TimerState.PENDING, None)
    assert timer.last_error == SLACK_DOWN
    assert timer.fire_at == FILED_AT + FIRST_RETRY

    assert desk_world.at(FILED_AT + FIRST_RETRY - SECOND) == []
    assert desk_world.messenger.attempts == [request.key]
    # A root message is not a notice: the sender says nothing, the messenger posts it.
    assert desk_world.at(FILED_AT + FIRST_RETRY) == []
    opened = desk_world.reload(request)
    assert opened.conversation is not None
    assert opened.conversation.channel_id == "C_SUPPORT"
    assert not opened.conversation_pending
    assert desk_world.messenger.roots == [(request.key, "C_SUPPORT")]
    # The filing could not link it: the requester is told where the conversation is.
    assert desk_world.messenger.opened == [request.key]
    assert desk_world.publish_timers(request)[0].state == TimerState.DONE
    assert "conversation_opened" in desk_world.events(request)
    # Its clocks run as for any request, in the conversation now open.
    assert desk_world.at(FILED_AT.add(hours=3)) == [
        (request.key, "first_response_breach"),
        (request.key, "breach_escalation"),
    ]
    assert desk_world.messenger.published == [request.key]


def test_a_critical_publish_goes_to_the_oncall_channel(desk_world: TimerWorld) -> None:
    request = _file_while_slack_fails(desk_world, "critical")

    desk_world.at(FILED_AT + FIRST_RETRY)

    conversation = desk_world.reload(request).conversation
    assert conversation is not None
    assert conversation.channel_id == "C_ONCALL"


def test_a_publish_that_keeps_failing_backs_off_and_is_never_given_up(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    # Changed on purpose: a root message was failed for good after MAX_ATTEMPTS; now the
    # request would be left without a conversation, so it is retried for as long as it takes.
    # The filing's try, then the scheduler's: 10 s twice, then doubling, capped at 5 minutes.
    waits = (10, 10, 10, 20, 40, 80, 160, 300, 300)
    request = _file_while_slack_fails(desk_world, failures=len(waits))

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        for tries, wait in enumerate(waits, start=1):
            desk_world.clock.advance(seconds=wait - 1)
            assert desk_world.tick().claimed == 0, f"retry {tries} came early"
            desk_world.clock.advance(seconds=1)
            assert desk_world.tick().claimed == 1, f"retry {tries} did not come"
            [timer] = desk_world.publish_timers(request)
            assert timer.attempts == tries

    # The last retry posted it; every failure (the filing's too) was logged, as an error
    # from MAX_ATTEMPTS claims on.
    assert (timer.state, desk_world.messenger.published) == (TimerState.DONE, [request.key])
    levels = [r.levelno for r in caplog.records if r.getMessage().startswith("could not post")]
    assert len(levels) == len(waits)
    assert levels.count(logging.ERROR) == len(waits) - MAX_ATTEMPTS
    assert desk_world.reload(request).conversation is not None


def test_slack_retry_after_is_honoured_for_a_root_message(desk_world: TimerWorld) -> None:
    desk_world.messenger.retry_after = 90.0
    request = _file_while_slack_fails(desk_world)

    assert desk_world.at(FILED_AT + timedelta(seconds=89)) == []
    assert desk_world.messenger.attempts == [request.key]
    desk_world.at(FILED_AT + timedelta(seconds=90))
    assert desk_world.messenger.published == [request.key]


def test_pings_wait_for_a_conversation_still_being_opened_and_keep_their_retries(
    desk_world: TimerWorld,
) -> None:
    # The filing's post fails, and the scheduler's first two as well.
    request = _file_while_slack_fails(desk_world, "critical", failures=3)
    ping_at = local(2026, 11, 18, 15, 7, 30)

    # Slack is still failing when the first ping falls due: it waits, the post is retried.
    assert desk_world.at(ping_at) == []
    ping = next(t for t in desk_world.timers(request) if t.kind == "first_response_reminder")
    assert (ping.state, ping.attempts) == (TimerState.PENDING, 0)
    assert desk_world.at(ping_at + FIRST_RETRY) == []
    assert desk_world.messenger.published == []
    # Slack is back: the root message first; the ping, waiting meanwhile, right after it.
    assert desk_world.at(ping_at + CONVERSATION_WAIT) == []
    assert desk_world.messenger.published == [request.key]
    assert desk_world.at(ping_at + 2 * CONVERSATION_WAIT) == [
        (request.key, "first_response_reminder")
    ]
    ping = next(t for t in desk_world.timers(request) if t.kind == "first_response_reminder")
    assert (ping.state, ping.attempts) == (TimerState.DONE, 1)


def test_changes_to_the_request_keep_its_publish_timer(desk_world: TimerWorld) -> None:
    request = _file_while_slack_fails(desk_world)

    desk_world.change_priority(request, "low")
    desk_world.wait_on_customer(request)

    # The change leaves the owed root message to its retry, due within 10 s anyway.
    assert desk_world.messenger.attempts == [request.key]
    assert TimerKind.PUBLISH_CONVERSATION.value in [kind for kind, _ in desk_world.pending(request)]
    desk_world.at(FILED_AT + FIRST_RETRY)
    assert desk_world.messenger.roots == [(request.key, "C_SUPPORT")]


def test_a_publish_timer_of_a_request_with_a_conversation_does_nothing(
    desk_world: TimerWorld,
) -> None:
    request = _file_while_slack_fails(desk_world)
    # Posted and stored, but the worker died before it marked its timer done.
    with desk_world.desk.db.unit_of_work() as uow:
        stored = uow.requests.lock(request.id)
        assert stored is not None
        uow.requests.save(
            stored.but(
                slack_channel_id="C_SUPPORT",
                thread_ts="1700000099.000001",
                conversation_pending=False,
            )
        )

    desk_world.clock.set(FILED_AT + FIRST_RETRY)
    report = desk_world.tick()

    assert (report.claimed, report.skipped, report.delivered) == (1, 1, 0)
    assert desk_world.messenger.attempts == [request.key]


def test_a_conversation_once_stored_is_never_replaced(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    request = desk_world.file("high")
    tries = len(desk_world.messenger.attempts)

    # A late try for a request whose conversation is already where it belongs (a lost
    # race): nothing is posted at all.
    kept = post_root(desk_world.desk, request=request, timers=[], worker_id="late", tell=True)

    assert len(desk_world.messenger.attempts) == tries
    assert kept.conversation == request.conversation
    assert desk_world.reload(request).conversation == request.conversation
    assert desk_world.threads(request) == [request.conversation]
    assert (desk_world.messenger.moved, desk_world.messenger.opened) == ([], [])


def test_a_root_posted_while_another_was_stored_is_left_unlinked(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    request = desk_world.file("high")
    # The request is owed a root again (as if a move were under way), but another post
    # stores first: this one finds the conversation no longer owed.
    owed = request.but(slack_channel_id=None, thread_ts=None)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        kept = post_root(desk_world.desk, request=owed, timers=[], worker_id="late", tell=True)

    assert kept.conversation == request.conversation
    assert desk_world.threads(request) == [request.conversation]
    assert "left unlinked" in caplog.text


def test_filing_holds_the_timer_while_it_posts_so_the_scheduler_does_not_post(
    desk_world: TimerWorld,
) -> None:
    reports = []

    def scheduler_ticks_meanwhile(request: Request) -> None:
        desk_world.clock.set(FILED_AT + PUBLISH_GRACE)  # a slow post: the grace has passed
        reports.append(desk_world.tick())

    desk_world.messenger.before_publish = scheduler_ticks_meanwhile
    request = desk_world.file("high")
    desk_world.messenger.before_publish = None

    assert [r.claimed for r in reports] == [0]
    assert desk_world.messenger.published == [request.key]
    assert desk_world.at(FILED_AT.add(minutes=10)) == []
    assert desk_world.messenger.published == [request.key]


def test_filing_does_not_post_while_the_scheduler_holds_the_timer(
    desk_world: TimerWorld,
) -> None:
    request = _file_while_slack_fails(desk_world)
    desk_world.clock.set(FILED_AT + FIRST_RETRY)
    with desk_world.desk.db.unit_of_work() as uow:
        [(request_id, held)] = uow.timers.claim_due(
            now=desk_world.clock.now(), limit=10, lease=LEASE, worker_id="another-replica"
        )
    assert (request_id, held.kind) == (request.id, TimerKind.PUBLISH_CONVERSATION)

    unchanged = open_conversation(desk_world.desk, request_id=request.id)

    assert unchanged.conversation is None and unchanged.conversation_pending
    assert desk_world.messenger.attempts == [request.key]  # the filing's own try only
    # The other replica died: its lease ends, and the root message is posted once.
    assert desk_world.at(FILED_AT + FIRST_RETRY + LEASE - SECOND) == []
    assert desk_world.messenger.published == []
    desk_world.at(FILED_AT + FIRST_RETRY + LEASE)
    assert desk_world.messenger.published == [request.key]
    conversation = desk_world.reload(request).conversation
    assert isinstance(conversation, ConversationRef)
    assert conversation.channel_id == "C_SUPPORT"
