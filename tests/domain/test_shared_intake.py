"""Which top-level messages in a customer's shared channel start a request (§11)."""

from __future__ import annotations

from dataclasses import replace

import pendulum
import pytest

from bot.domain.accounts import PlanTier, new_account
from bot.domain.requests import IntakeChannel, Priority
from bot.domain.shared_intake import (
    ChannelMessage,
    by_a_person,
    from_customer,
    reads_as_request,
    request_words,
    starts_request,
)
from bot.domain.shared_prompts import (
    PROMPT_LIFETIME,
    PickRefusal,
    SharedPrompt,
    allowed_pick,
    offer_for,
    prompt_expiry,
)

APP = "UAPP"
HOME = "T0VENDOR"
ACME = new_account(
    name="Acme", tier="enterprise", channels=["C0ACME"], teams=["T0ACME"], admins=["U0ADA"]
)
MESSAGE = ChannelMessage(
    channel_id="C0ACME",
    ts="1700000000.000100",
    user_id="U0ADA",
    text="The inbox does not load since 9am",
    author_team="T0ACME",
    home_team=HOME,
)


@pytest.mark.parametrize(
    "text",
    [
        "Our inbox does not load since this morning",
        "help please",
        "thanks, but the exports still fail",
        "problem with SSO",
        "<@UAPP> the exports fail with a timeout",
        "Hi team, can you look at the API errors?",
        "SSO 500",
        "no, still broken",
    ],
)
def test_a_question_or_a_problem_is_a_request(text: str) -> None:
    assert reads_as_request(text, app_user_id=APP)


@pytest.mark.parametrize(
    "text",
    [
        "thanks!",
        "Thank you so much for the quick help :pray:",
        "ok 👍",
        ":+1:",
        "👍🏽",
        "+1",
        "&lt;3",
        "hi team",
        "Yes, works now. Cheers",
        "no problem",
        "<@UAPP> thanks",
        "<@UAPP> ok",
        "<@UAPP> status?",
        "",
        "   ",
        "<@U0ERIN>",
        "KS-1001 still broken",
        "any news on ks-1042?",
    ],
)
def test_acknowledgements_greetings_answers_and_known_requests_are_not(text: str) -> None:
    assert not reads_as_request(text, app_user_id=APP)


def test_a_long_friendly_message_is_a_request_after_all() -> None:
    words = "thanks " * 13
    assert reads_as_request(words, app_user_id=APP)


@pytest.mark.parametrize(
    "changes",
    [
        {"subtype": "message_changed"},
        {"subtype": "channel_join"},
        {"subtype": "bot_message", "bot_id": "B1"},
        {"bot_id": "B1"},
        {"user_id": APP},
        {"user_id": None},
        {"thread_ts": "1699999999.000100"},  # a reply in a thread
    ],
)
def test_edits_joins_bots_the_app_and_replies_are_not_new_messages(changes: dict) -> None:
    assert not by_a_person(replace(MESSAGE, **changes), app_user_id=APP)


def test_a_file_with_a_comment_and_a_plain_message_are_new_messages() -> None:
    assert by_a_person(MESSAGE, app_user_id=APP)
    assert by_a_person(replace(MESSAGE, subtype="file_share"), app_user_id=APP)
    assert by_a_person(replace(MESSAGE, thread_ts=MESSAGE.ts), app_user_id=APP)


def test_customers_are_people_of_another_organisation_or_recorded_as_the_accounts() -> None:
    outsider = replace(MESSAGE, user_id="U0BOB", author_team="T0OTHER")
    staff = replace(MESSAGE, user_id="U0SAM", author_team=HOME)
    admin_at_home = replace(MESSAGE, author_team=HOME)  # recorded as Acme's admin
    team_member = replace(MESSAGE, user_id="U0BOB", author_team="T0ACME", home_team=None)

    assert from_customer(outsider, ACME, desk_member=False)
    assert from_customer(admin_at_home, ACME, desk_member=False)
    assert from_customer(team_member, ACME, desk_member=False)
    assert not from_customer(staff, ACME, desk_member=False)
    assert not from_customer(outsider, ACME, desk_member=True)


def test_a_request_needs_a_person_a_customer_and_words_that_ask() -> None:
    assert starts_request(MESSAGE, ACME, app_user_id=APP, desk_member=False)
    thanks = replace(MESSAGE, text="thanks!")
    assert not starts_request(thanks, ACME, app_user_id=APP, desk_member=False)
    assert not starts_request(MESSAGE, ACME, app_user_id=APP, desk_member=True)


def test_the_subject_is_the_first_line_and_the_description_the_whole_text() -> None:
    text = "\n  Exports time out  \nEvery CSV export stops after a minute.\n"
    assert request_words(text, subject_limit=150, description_limit=3000) == (
        "Exports time out",
        "Exports time out  \nEvery CSV export stops after a minute.",
    )
    subject, description = request_words("x" * 500, subject_limit=150, description_limit=200)
    assert (len(subject), len(description)) == (150, 200)
    assert subject.endswith("…") and description.endswith("…")


class TestOffers:
    def test_an_admin_of_enterprise_or_ultimate_picks_any_impact(self) -> None:
        for tier in ("enterprise", "ultimate"):
            offer = offer_for(replace(ACME, tier=PlanTier(tier)), "U0ADA")
            assert offer.impacts.priorities == tuple(Priority)
            assert not offer.files_at_once and offer.refusal is None

    def test_anyone_else_or_professional_files_medium_by_email_at_once(self) -> None:
        member = offer_for(ACME, "U0BOB")
        professional = offer_for(replace(ACME, tier=PlanTier.PROFESSIONAL), "U0ADA")
        for offer, why in ((member, "role"), (professional, "plan")):
            assert offer.files_at_once and offer.refusal == why
            assert offer.impacts.priorities == (Priority.MEDIUM,)

    def test_a_pick_never_goes_past_what_the_person_may_choose(self) -> None:
        admin, member = offer_for(ACME, "U0ADA"), offer_for(ACME, "U0BOB")
        assert allowed_pick(admin, Priority.CRITICAL) == (IntakeChannel.CHAT, Priority.CRITICAL)
        assert allowed_pick(member, Priority.CRITICAL) == (IntakeChannel.EMAIL, Priority.MEDIUM)


class TestPrompts:
    CREATED = pendulum.datetime(2026, 11, 18, 20, 0)
    PROMPT = SharedPrompt(
        id=7,
        channel_id="C0ACME",
        message_ts=MESSAGE.ts,
        user_id="U0ADA",
        account_id=1,
        text="The inbox does not load",
        created_at=CREATED,
        expires_at=prompt_expiry(CREATED),
    )

    def test_it_lapses_after_24_hours(self) -> None:
        assert self.PROMPT.expires_at == self.CREATED + PROMPT_LIFETIME
        assert not self.PROMPT.expired(self.CREATED.add(hours=23, minutes=59))
        assert self.PROMPT.expired(self.CREATED.add(hours=24))

    def test_only_its_author_files_it_and_only_once_and_in_time(self) -> None:
        now = self.CREATED.add(hours=1)
        assert self.PROMPT.refusal(user_id="U0ADA", now=now) is None
        assert self.PROMPT.refusal(user_id="U0BOB", now=now) is PickRefusal.NOT_YOURS
        late = self.CREATED.add(hours=25)
        assert self.PROMPT.refusal(user_id="U0ADA", now=late) is PickRefusal.EXPIRED
        filed = replace(self.PROMPT, request_id=3, closed_at=now)
        assert filed.refusal(user_id="U0ADA", now=now) is PickRefusal.FILED
        closed = replace(self.PROMPT, closed_at=now)
        assert closed.refusal(user_id="U0ADA", now=now) is PickRefusal.EXPIRED
