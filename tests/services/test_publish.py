"""A request's conversation is never lost: a root message Slack refused is posted later."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.db.models import SupportRequest, Timer, TimerKind, TimerState
from bot.db.repositories import claim_due_timers, events_of
from bot.services.filing import PUBLISH_GRACE, record_conversation, try_open_conversation
from bot.services.ledger import MAX_ATTEMPTS
from bot.services.ports import ConversationRef
from bot.services.timers import CONVERSATION_WAIT
from tests.services.timer_world import TimerWorld, local

FILED_AT = local(2026, 11, 18, 15, 0)
PUBLISH = TimerKind.PUBLISH_CONVERSATION.value


def _root_ts(request: SupportRequest) -> str:
    """The ts the fake messenger gives a request's root message."""
    return f"1700000000.{request.id or 0:06d}"


def _publish_timers(world: TimerWorld, request: SupportRequest) -> list[Timer]:
    return [t for t in world.timers(request) if t.kind == PUBLISH]


def _file_while_slack_fails(world: TimerWorld, priority: str = "high") -> SupportRequest:
    world.messenger.failing_posts = 1
    request = world.file(priority)
    assert request.thread_ts is None
    return request


def test_filing_opens_the_conversation_at_once_and_nothing_posts_it_again(
    desk_world: TimerWorld,
) -> None:
    request = desk_world.file("high")

    assert (request.slack_channel_id, request.thread_ts) == ("C_SUPPORT", _root_ts(request))
    [timer] = _publish_timers(desk_world, request)
    assert (timer.state, timer.attempts) == (TimerState.DONE, 0)
    assert desk_world.at(FILED_AT + PUBLISH_GRACE) == []
    assert desk_world.messenger.published == [request.key]


def test_a_failed_post_files_the_request_and_the_scheduler_opens_it_after_the_grace(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.services.filing"):
        request = _file_while_slack_fails(desk_world)

    [warning] = caplog.records
    assert request.key in warning.getMessage() and "500" in warning.getMessage()
    assert desk_world.reload(request).status == "new"
    [timer] = _publish_timers(desk_world, request)
    assert (timer.state, timer.claimed_by) == (TimerState.PENDING, None)
    assert timer.last_error == "ConnectionError: Slack answered 500 to chat.postMessage"

    assert desk_world.at(FILED_AT + PUBLISH_GRACE - timedelta(seconds=1)) == []
    assert desk_world.at(FILED_AT + PUBLISH_GRACE) == [(request.key, PUBLISH)]
    opened = desk_world.reload(request)
    assert (opened.slack_channel_id, opened.thread_ts) == ("C_SUPPORT", _root_ts(request))
    assert desk_world.messenger.published == [request.key]
    assert _publish_timers(desk_world, request)[0].state == TimerState.DONE
    with desk_world.desk.db.session() as session:
        assert "conversation_opened" in [e.kind for e in events_of(session, request.id or 0)]
    # Its clocks run as for any request, in the conversation now open.
    assert desk_world.at(FILED_AT.add(hours=3)) == [
        (request.key, "breach"),
        (request.key, "breach_escalation"),
    ]
    assert desk_world.messenger.published == [request.key]


def test_a_critical_publish_goes_to_the_oncall_channel(desk_world: TimerWorld) -> None:
    request = _file_while_slack_fails(desk_world, "critical")

    desk_world.at(FILED_AT + PUBLISH_GRACE)

    assert desk_world.reload(request).slack_channel_id == "C_ONCALL"


def test_a_publish_that_keeps_failing_retries_with_backoff_then_fails_for_good(
    desk_world: TimerWorld, caplog: pytest.LogCaptureFixture
) -> None:
    request = _file_while_slack_fails(desk_world)
    desk_world.sender.fail_next(MAX_ATTEMPTS)
    desk_world.clock.set(FILED_AT + PUBLISH_GRACE)

    for wait in (10, 20, 40):
        assert desk_world.tick().retried == 1
        desk_world.clock.advance(seconds=wait)
    with caplog.at_level(logging.ERROR, logger="bot.services.ledger"):
        report = desk_world.tick()

    assert (report.retried, report.failed) == (0, 1)
    assert "giving up on publish_conversation for " + request.key in caplog.text
    [timer] = _publish_timers(desk_world, request)
    assert (timer.state, timer.attempts) == (TimerState.FAILED, MAX_ATTEMPTS)
    assert desk_world.reload(request).thread_ts is None


def test_pings_wait_for_a_conversation_still_being_opened_and_keep_their_retries(
    desk_world: TimerWorld,
) -> None:
    request = _file_while_slack_fails(desk_world, "critical")
    ping_at = local(2026, 11, 18, 15, 7, 30)
    desk_world.sender.fail_next(2)  # the scheduler's first two posts fail too

    # Slack is still failing when the first ping falls due: it waits, the post is retried.
    assert desk_world.at(ping_at) == []
    ping = next(t for t in desk_world.timers(request) if t.kind == "first_response_reminder")
    assert (ping.state, ping.attempts) == (TimerState.PENDING, 0)
    assert desk_world.at(ping_at + timedelta(seconds=10)) == []
    # Slack is back: the root message first; the ping, waiting meanwhile, right after it.
    assert desk_world.at(ping_at + CONVERSATION_WAIT) == [(request.key, PUBLISH)]
    assert desk_world.at(ping_at + 2 * CONVERSATION_WAIT) == [(request.key, "reminder")]
    ping = next(t for t in desk_world.timers(request) if t.kind == "first_response_reminder")
    assert (ping.state, ping.attempts) == (TimerState.DONE, 1)


def test_changes_to_the_request_keep_its_publish_timer(desk_world: TimerWorld) -> None:
    request = _file_while_slack_fails(desk_world)

    desk_world.change_priority(request, "low")
    desk_world.wait_on_customer(request)

    assert PUBLISH in [kind for kind, _ in desk_world.pending(request)]
    assert desk_world.at(FILED_AT + PUBLISH_GRACE) == [(request.key, PUBLISH)]


def test_a_publish_timer_of_a_request_with_a_conversation_does_nothing(
    desk_world: TimerWorld,
) -> None:
    request = _file_while_slack_fails(desk_world)
    # Posted and stored, but the worker died before it marked its timer done.
    ref = ConversationRef(channel_id="C_SUPPORT", ts="1700000099.000001")
    record_conversation(desk_world.desk, request_id=request.id or 0, ref=ref)

    desk_world.clock.set(FILED_AT + PUBLISH_GRACE)
    report = desk_world.tick()

    assert (report.claimed, report.skipped, report.delivered) == (1, 1, 0)
    assert desk_world.messenger.published == []


def test_a_conversation_once_stored_is_never_replaced(desk_world: TimerWorld) -> None:
    request = desk_world.file("high")
    other = ConversationRef(channel_id="C_SUPPORT", ts="1700000099.000002")

    kept = record_conversation(desk_world.desk, request_id=request.id or 0, ref=other)

    assert kept.thread_ts == request.thread_ts
    assert desk_world.reload(request).thread_ts == request.thread_ts


def test_filing_holds_the_timer_while_it_posts_so_the_scheduler_does_not_post(
    desk_world: TimerWorld,
) -> None:
    reports = []

    def scheduler_ticks_meanwhile(request: SupportRequest) -> None:
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
    desk_world.clock.set(FILED_AT + PUBLISH_GRACE)
    with desk_world.desk.db.session() as session:
        [held] = claim_due_timers(
            session,
            now=desk_world.clock.now(),
            limit=10,
            lease=timedelta(minutes=2),
            worker_id="another-replica",
        )
    assert held.kind == PUBLISH

    unchanged = try_open_conversation(desk_world.desk, request=request)

    assert unchanged.thread_ts is None
    assert desk_world.messenger.published == []
    # The other replica died: its lease ends, and the root message is posted once.
    assert desk_world.at(FILED_AT + PUBLISH_GRACE + timedelta(minutes=2)) == [
        (request.key, PUBLISH)
    ]
    assert desk_world.messenger.published == [request.key]
