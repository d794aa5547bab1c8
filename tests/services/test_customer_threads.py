"""A request filed from a shared channel: its account and the customer's thread (§11).

The customer's thread is a conversation thread of the request: a desk member's reply there
is the first response, the requester's reply there is the customer's answer, and a second
filing of the same thread is a duplicate, never a second request.
"""

from __future__ import annotations

import pydantic
import pytest

from bot.domain.accounts import new_account
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import IntakeChannel, Priority, RequestStatus
from bot.services.accounts import add_account
from bot.services.filing import Filed, RequestDraft, file_request
from bot.services.replies import ReplyOutcome
from tests.services.timer_fakes import ENGINEER, ONCALL, REQUESTER
from tests.services.timer_world import TimerWorld

SHARED = "C0ACMESHARED"
CUSTOMER_THREAD = ConversationRef(SHARED, "1700000500.000100")


def _account_id(world: TimerWorld) -> int:
    acme = new_account(name="Acme", tier="enterprise", channels=[SHARED], admins=["U0ACMEADMIN"])
    return add_account(world.desk.db, acme, now=world.clock.now()).id


def _file(
    world: TimerWorld,
    *,
    account_id: int,
    key: str,
    thread: ConversationRef = CUSTOMER_THREAD,
    priority: Priority = Priority.HIGH,
) -> Filed:
    draft = RequestDraft(
        team_id="T0ACME",
        requester_id=REQUESTER,
        subject="Inbox spins",
        description="The inbox spins forever.",
        priority=priority,
        intake_channel=IntakeChannel.CHAT,
        account_id=account_id,
        customer_channel_id=thread.channel_id,
        customer_thread_ts=thread.ts,
    )
    return file_request(world.desk, draft=draft, delivery_key=key)


def _count(world: TimerWorld) -> int:
    with world.desk.db.unit_of_work() as uow:
        return len(uow.requests.open_queue(team_id=None, limit=100))


def test_the_request_keeps_its_account_and_customer_thread_beside_its_card(
    desk_world: TimerWorld,
) -> None:
    account_id = _account_id(desk_world)

    filed = _file(desk_world, account_id=account_id, key="prompt:1")

    request = desk_world.reload(filed.request)
    assert not filed.duplicate
    assert request.account_id == account_id
    assert (request.customer_channel_id, request.customer_thread_ts) == (
        CUSTOMER_THREAD.channel_id,
        CUSTOMER_THREAD.ts,
    )
    # The triage card is the root message in the support channel, as for any request.
    assert request.conversation is not None
    assert request.conversation.channel_id == "C_SUPPORT"
    assert set(desk_world.threads(request)) == {CUSTOMER_THREAD, request.conversation}
    with desk_world.desk.db.unit_of_work() as uow:
        assert uow.requests.by_conversation(SHARED, CUSTOMER_THREAD.ts) == request
        assert uow.requests.by_customer_thread(SHARED, CUSTOMER_THREAD.ts) == request


def test_a_desk_reply_in_the_customer_thread_is_the_first_response(
    desk_world: TimerWorld,
) -> None:
    request = _file(desk_world, account_id=_account_id(desk_world), key="prompt:1").request

    first = desk_world.respond(request, user=ONCALL, thread=CUSTOMER_THREAD)
    later = desk_world.respond(request, user=ENGINEER, thread=CUSTOMER_THREAD)

    assert first.outcome is ReplyOutcome.FIRST_RESPONSE
    assert later.outcome is ReplyOutcome.ENGINEER_UPDATE
    answered = desk_world.reload(request)
    assert answered.first_responded_at == desk_world.clock.now()
    assert answered.first_responder_id == ONCALL
    assert not [kind for kind, _ in desk_world.pending(request) if kind.startswith("first")]


def test_the_requester_answering_in_the_customer_thread_resumes_a_waiting_request(
    desk_world: TimerWorld,
) -> None:
    request = _file(desk_world, account_id=_account_id(desk_world), key="prompt:1").request
    desk_world.wait_on_customer(request)

    customer = desk_world.respond(request, user=REQUESTER, thread=CUSTOMER_THREAD)
    colleague = desk_world.respond(request, user="U0COLLEAGUE", thread=CUSTOMER_THREAD)

    assert customer.outcome is ReplyOutcome.REQUESTER_REPLY
    assert colleague.outcome is ReplyOutcome.OTHER
    assert desk_world.reload(request).status is not RequestStatus.WAITING_ON_CUSTOMER
    assert desk_world.reload(request).first_responded_at is None


def test_a_second_filing_of_the_same_customer_thread_is_a_duplicate(
    desk_world: TimerWorld,
) -> None:
    account_id = _account_id(desk_world)
    first = _file(desk_world, account_id=account_id, key="prompt:1")

    # Another path (the modal after the impact prompt), then a retry of each.
    again = _file(desk_world, account_id=account_id, key="view:V1", priority=Priority.CRITICAL)
    retried = _file(desk_world, account_id=account_id, key="view:V1")
    retried_first = _file(desk_world, account_id=account_id, key="prompt:1")

    assert [again.duplicate, retried.duplicate, retried_first.duplicate] == [True] * 3
    assert {again.request.id, retried.request.id, retried_first.request.id} == {first.request.id}
    assert _count(desk_world) == 1
    assert desk_world.messenger.published == [first.request.key]
    assert desk_world.reload(first.request).priority is Priority.HIGH


def test_a_thread_filed_after_its_keys_were_forgotten_is_still_a_duplicate(
    desk_world: TimerWorld,
) -> None:
    account_id = _account_id(desk_world)
    first = _file(desk_world, account_id=account_id, key="prompt:1")
    with desk_world.desk.db.unit_of_work() as uow:
        uow.keys.forget_before(desk_world.clock.now().add(days=1), limit=100)

    later = _file(desk_world, account_id=account_id, key="prompt:1")

    assert later.duplicate and later.request.id == first.request.id
    assert _count(desk_world) == 1


def test_other_customer_threads_are_other_requests(desk_world: TimerWorld) -> None:
    account_id = _account_id(desk_world)
    one = _file(desk_world, account_id=account_id, key="prompt:1").request
    other_thread = ConversationRef(SHARED, "1700000600.000200")

    two = _file(desk_world, account_id=account_id, key="prompt:2", thread=other_thread).request

    assert one.id != two.id
    assert _count(desk_world) == 2


def test_a_request_without_a_customer_thread_files_as_before(desk_world: TimerWorld) -> None:
    request: Request = desk_world.file("high")

    assert (request.account_id, request.customer_channel_id, request.customer_thread_ts) == (
        None,
        None,
        None,
    )
    assert desk_world.threads(request) == [request.conversation]


def test_a_customer_thread_needs_its_channel_and_its_ts() -> None:
    with pytest.raises(pydantic.ValidationError):
        RequestDraft(
            team_id="T0ACME",
            requester_id=REQUESTER,
            subject="s",
            description="d",
            priority=Priority.LOW,
            intake_channel=IntakeChannel.CHAT,
            customer_channel_id=SHARED,
        )
