"""The one way a request's conversation opens or moves: post the root, store it, tell people.

Filing, a change of impact across Critical, and the scheduler all come here. Whoever
needs a root message first leaves a `publish_conversation` timer (`owe_conversation`) in
the same transaction as the change that needs it, then tries at once holding that timer;
when Slack fails, the timer is handed back and the scheduler retries it (the first retry
within 10 s, then with backoff) until the root message is posted. Nothing can be lost.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from pendulum import DateTime

from bot.db.models import TimerState
from bot.db.uow import UnitOfWork
from bot.domain.changes import CustomerNote, CustomerNoteKind
from bot.domain.errors import NotFound
from bot.domain.model import ConversationRef, Request
from bot.domain.timer_kinds import DueTimer, TimerKind
from bot.logs import log_fields
from bot.services.desk import Desk
from bot.services.ledger import MAX_ATTEMPTS, backoff
from bot.services.outages import after_root, join_outage
from bot.services.ports import ChannelBusy, DeliveryFailed

log = logging.getLogger(__name__)

PUBLISH = TimerKind.PUBLISH_CONVERSATION
# The scheduler posts an owed root message only when the immediate try failed or died
# with its worker, and never sooner than this after it was owed.
PUBLISH_GRACE = timedelta(seconds=60)
FIRST_RETRY = timedelta(seconds=10)
# Long enough for one post (pacing, Slack's timeout and its 429 waits).
LEASE = timedelta(minutes=2)


def owe_conversation(uow: UnitOfWork, *, desk: Desk, request: Request, now: DateTime) -> None:
    """Leave the durable promise of a root message, in the change's own transaction.

    A Critical request during a vendor outage learns here whether its root pages on-call.
    """
    join_outage(uow, desk=desk, request=request, now=now)
    uow.timers.schedule(
        request_id=request.id,
        kind=PUBLISH,
        at=now + desk.clock.stretch(PUBLISH_GRACE),
        version=request.version,
        now=now,
    )


def open_conversation(desk: Desk, *, request_id: int, tell_requester: bool = False) -> Request:
    """Post the root message the request is owed, now, holding its publish timer.

    Returns the request as it stands: still owed its conversation when the scheduler holds
    the timer, or when Slack failed and the timer went back to the scheduler.
    """
    taker = f"conversation:{uuid.uuid4().hex}"
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        timer = uow.timers.take(
            request_id=request_id,
            kind=PUBLISH,
            worker_id=taker,
            now=now,
            lease=desk.clock.stretch(LEASE),
        )
        request = uow.requests.get(request_id)
    if request is None:
        raise NotFound("That request no longer exists.")
    if timer is None:
        log.info(
            "the scheduler is opening the conversation of %s",
            request.key,
            extra=log_fields(request),
        )
        return request
    return post_root(
        desk, request=request, timers=[timer], worker_id=taker, tell=tell_requester, paced=False
    )


def post_root(
    desk: Desk,
    *,
    request: Request,
    timers: Sequence[DueTimer],
    worker_id: str,
    tell: bool,
    paced: bool = True,
) -> Request:
    """Post the root message on behalf of claimed publish timers, and record the outcome."""
    if _in_place(desk, request):
        return _settle(desk, request, timers=timers, worker_id=worker_id)
    try:
        ref = desk.messenger.publish(request, paced=paced)
    except DeliveryFailed as error:
        _retry_later(desk, request, timers, worker_id, error)
        return request
    opened, old = _store(desk, request.id, ref, timers=timers, worker_id=worker_id)
    _announce(desk, opened, old=old, tell_requester=tell)
    after_root(desk, opened)
    return opened


def _in_place(desk: Desk, request: Request) -> bool:
    """The conversation is already where the impact routes it (a move undone in time)."""
    channel = desk.routing.channel_for(request.priority)
    return request.conversation is not None and request.slack_channel_id == channel


def _settle(desk: Desk, request: Request, *, timers: Sequence[DueTimer], worker_id: str) -> Request:
    """Nothing to post: the root is no longer owed."""
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        current = uow.requests.lock(request.id) or request
        uow.timers.finish(
            (t.id for t in timers), worker_id=worker_id, state=TimerState.DONE, now=now
        )
        if current.conversation_pending and _in_place(desk, current):
            current = current.but(conversation_pending=False)
            uow.requests.save(current)
    return current


def _store(
    desk: Desk,
    request_id: int,
    ref: ConversationRef,
    *,
    timers: Sequence[DueTimer],
    worker_id: str,
) -> tuple[Request, ConversationRef | None]:
    """Remember where the conversation lives now, under the request's row lock.

    Slack has posted the root: while the database is unavailable (a restart) this waits for
    it, or the timer would come back and post a second root.
    """
    now = desk.clock.now()
    return desk.db.retrying(
        lambda uow: _record_root(
            uow, desk, request_id, ref, timers=timers, worker_id=worker_id, now=now
        )
    )


def _record_root(
    uow: UnitOfWork,
    desk: Desk,
    request_id: int,
    ref: ConversationRef,
    *,
    timers: Sequence[DueTimer],
    worker_id: str,
    now: DateTime,
) -> tuple[Request, ConversationRef | None]:
    """The root is posted: store where it lives, finish the timers, record the event."""
    request = uow.requests.lock(request_id)
    if request is None:
        raise NotFound("That request no longer exists.")
    old = request.conversation
    uow.timers.finish((t.id for t in timers), worker_id=worker_id, state=TimerState.DONE, now=now)
    if not request.conversation_pending:
        log.warning(
            "%s already has its conversation; root %s left unlinked",
            request.key,
            ref,
            extra=log_fields(request),
        )
        return request, request.conversation  # nothing opened or moved: nothing to announce
    request = request.but(slack_channel_id=ref.channel_id, thread_ts=ref.ts)
    request = request.but(conversation_pending=False)
    if desk.routing.channel_for(request.priority) != ref.channel_id:
        # The impact moved again while Slack was posting: owe the other channel a root.
        request = request.but(conversation_pending=True)
        owe_conversation(uow, desk=desk, request=request, now=now)
    uow.requests.save(request)
    uow.requests.record_thread(request_id, ref, now)
    kind = "conversation_moved" if old else "conversation_opened"
    uow.events.append(request_id, kind, at=now, data={"channel": ref.channel_id, "ts": ref.ts})
    return request, old


def _announce(
    desk: Desk, request: Request, *, old: ConversationRef | None, tell_requester: bool
) -> None:
    """Best effort: the links between threads, or the requester's link to the new one.

    A customer who filed from a shared channel hears of it in their own thread there, never
    of the triage card (an internal channel they cannot open).
    """
    try:
        if old is not None and old != request.conversation:
            desk.messenger.conversation_moved(request, old=old)
        elif old is None and request.customer_thread is not None:
            desk.messenger.tell_customer(request, CustomerNote(CustomerNoteKind.FILED))
        elif old is None and tell_requester:
            desk.messenger.conversation_opened(request)
    except DeliveryFailed as error:
        log.warning(
            "could not announce the conversation of %s: %s",
            request.key,
            error,
            extra=log_fields(request),
        )


def _retry_later(
    desk: Desk,
    request: Request,
    timers: Sequence[DueTimer],
    worker_id: str,
    error: DeliveryFailed,
) -> None:
    """Hand the publish timers back: retried within 10 s the first time, then with backoff.

    A root message is never given up on; past MAX_ATTEMPTS each failure is an error log.
    """
    attempts = max((t.attempts for t in timers), default=0)
    fields = log_fields(request, timer_kind=PUBLISH.value)
    if isinstance(error, ChannelBusy):
        # Not a failure: the root waits for its turn in the channel (a burst of filings).
        wait = timedelta(seconds=error.retry_after or 1.0)
        log.info("the root message of %s waits its turn in the channel", request.key, extra=fields)
    else:
        wait = FIRST_RETRY if attempts <= 1 else backoff(attempts - 1, error.retry_after)
        if error.retry_after is not None:
            wait = max(wait, timedelta(seconds=error.retry_after))
        report = log.error if attempts >= MAX_ATTEMPTS else log.warning
        report(
            "could not post the root message of %s (%s); retrying", request.key, error, extra=fields
        )
    now = desk.clock.now()
    with desk.db.unit_of_work() as uow:
        for timer in timers:
            uow.timers.release(
                timer.id,
                retry_at=now + desk.clock.stretch(wait),
                worker_id=worker_id,
                error=str(error),
            )
