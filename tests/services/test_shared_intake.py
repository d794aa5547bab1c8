"""Filing from a shared channel (§11): one prompt per message, the pick, the lapse, the pin,
and the notice about unmapped channels, on a real database with a fake Slack port."""

from __future__ import annotations

import pytest

from bot.domain.accounts import Account, account_changes, new_account
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.shared_prompts import PickRefusal, SharedPrompt
from bot.services.accounts import add_account, update_account
from bot.services.shared_channels import (
    close_lapsed_prompts,
    notice_unmapped_channel,
    pin_help_messages,
)
from bot.services.shared_intake import CustomerMessage, check_prompt, pick_impact, take_message
from tests.services.shared_fakes import FakeSharedChannels
from tests.services.timer_world import TimerWorld

SHARED = "C0ACMESHARED"
ADMIN, MEMBER = "U0ACMEADA", "U0ACMEBOB"
WORDS = "Exports time out\nEvery CSV export stops after a minute."


@pytest.fixture
def acme(desk_world: TimerWorld) -> Account:
    account = new_account(
        name="Acme", tier="enterprise", channels=[SHARED], teams=["T0ACME"], admins=[ADMIN]
    )
    return add_account(desk_world.desk.db, account, now=desk_world.clock.now())


@pytest.fixture
def port() -> FakeSharedChannels:
    return FakeSharedChannels()


def _message(user: str = ADMIN, ts: str = "1700000000.000100") -> CustomerMessage:
    return CustomerMessage(channel_id=SHARED, ts=ts, user_id=user, team_id="T0ACME", words=WORDS)


def _take(world: TimerWorld, port: FakeSharedChannels, acme: Account, **kw: str) -> SharedPrompt:
    prompt = take_message(world.desk, port, message=_message(**kw), account=acme)
    assert prompt is not None
    return prompt


def test_an_admins_message_gets_one_prompt_with_every_impact(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    prompt = _take(desk_world, port, acme)

    again = take_message(desk_world.desk, port, message=_message(), account=acme)

    assert again is None
    [(shown, offer)] = port.prompts
    assert shown.id == prompt.id and offer.impacts.priorities == tuple(Priority)
    stored = check_prompt(desk_world.desk, prompt_id=prompt.id, user_id=ADMIN).prompt
    assert stored is not None and stored.prompt_ts is not None
    assert stored.expires_at == desk_world.clock.now().add(hours=24)


def test_a_pick_files_the_message_with_its_account_and_thread(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    prompt = _take(desk_world, port, acme)

    check = pick_impact(
        desk_world.desk, port, prompt_id=prompt.id, user_id=ADMIN, priority=Priority.CRITICAL
    )

    request = check.request
    assert check.refusal is None and request is not None
    assert (request.priority, request.intake_channel) == (Priority.CRITICAL, IntakeChannel.CHAT)
    assert (request.subject, request.description) == ("Exports time out", WORDS)
    assert (request.account_id, request.requester_id) == (acme.id, ADMIN)
    assert (request.customer_channel_id, request.customer_thread_ts) == (SHARED, prompt.message_ts)
    assert [answer.key for _, answer in port.answers] == [request.key]
    # The prompt offers nothing more: a second pick says it is filed.
    twice = pick_impact(
        desk_world.desk, port, prompt_id=prompt.id, user_id=ADMIN, priority=Priority.LOW
    )
    assert twice.refusal is PickRefusal.FILED and twice.request is not None
    assert twice.request.id == request.id
    assert desk_world.messenger.published == [request.key]


def test_a_member_is_filed_at_once_at_medium_by_email(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    prompt = _take(desk_world, port, acme, user=MEMBER)

    [(shown, offer)] = port.prompts  # no choice: why it is filed at Medium by email
    assert shown.id == prompt.id and offer.files_at_once and offer.refusal == "role"
    [(answered, request)] = port.answers
    assert answered.id == prompt.id
    assert (request.priority, request.intake_channel) == (Priority.MEDIUM, IntakeChannel.EMAIL)
    assert request.customer_thread_ts == prompt.message_ts
    check = check_prompt(desk_world.desk, prompt_id=prompt.id, user_id=MEMBER)
    assert check.refusal is PickRefusal.FILED
    assert check.prompt is not None and check.prompt.prompt_ts is not None  # the answer's ts


def test_only_the_author_picks_and_not_past_what_they_may(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    prompt = _take(desk_world, port, acme)

    other = pick_impact(
        desk_world.desk, port, prompt_id=prompt.id, user_id=MEMBER, priority=Priority.HIGH
    )

    assert other.refusal is PickRefusal.NOT_YOURS and port.answers == []
    # The admin loses the role before picking: the offer is judged at click time.
    update_account(
        desk_world.desk.db,
        "Acme",
        account_changes(remove_admins=[ADMIN]),
        now=desk_world.clock.now(),
    )
    picked = pick_impact(
        desk_world.desk, port, prompt_id=prompt.id, user_id=ADMIN, priority=Priority.CRITICAL
    )
    assert picked.request is not None
    assert (picked.request.priority, picked.request.intake_channel) == ("medium", "email")


def test_a_prompt_lapses_quietly_after_24_hours(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    prompt = _take(desk_world, port, acme)
    answered = _take(desk_world, port, acme, ts="1700000000.000200")
    pick_impact(desk_world.desk, port, prompt_id=answered.id, user_id=ADMIN, priority=Priority.LOW)

    desk_world.clock.advance(hours=23)
    assert close_lapsed_prompts(desk_world.desk, port) == 0
    desk_world.clock.advance(hours=1)
    assert close_lapsed_prompts(desk_world.desk, port) == 1
    assert close_lapsed_prompts(desk_world.desk, port) == 0

    assert [closed.id for closed in port.closed] == [prompt.id]
    late = pick_impact(
        desk_world.desk, port, prompt_id=prompt.id, user_id=ADMIN, priority=Priority.HIGH
    )
    assert late.refusal is PickRefusal.EXPIRED and late.request is None


def test_the_help_message_is_posted_and_pinned_once_per_channel(
    desk_world: TimerWorld, acme: Account, port: FakeSharedChannels
) -> None:
    port.failing = {"pin"}  # the app was not in the channel yet
    assert pin_help_messages(desk_world.desk, port) == 0
    assert pin_help_messages(desk_world.desk, port) == 0  # its retry waits an hour

    port.failing = set()
    desk_world.clock.advance(hours=1, seconds=1)
    assert pin_help_messages(desk_world.desk, port) == 1
    desk_world.clock.advance(hours=2)
    assert pin_help_messages(desk_world.desk, port) == 0

    [(channel, ts)] = port.helps  # posted once, then only pinned
    assert port.pins == [(channel, ts)] and channel == SHARED


def test_an_unmapped_channel_is_told_to_the_desk_once(
    desk_world: TimerWorld, port: FakeSharedChannels
) -> None:
    port.failing = {"notice_unmapped"}
    assert not notice_unmapped_channel(
        desk_world.desk, port, channel_id="C0STRAY", team_id="T0STRAY"
    )
    port.failing = set()  # the next message there tries again

    told = [
        notice_unmapped_channel(desk_world.desk, port, channel_id="C0STRAY", team_id="T0STRAY")
        for _ in range(3)
    ]

    assert told == [True, False, False]
    assert port.notices == [("C0STRAY", "T0STRAY")]
