"""Customer accounts: who may file through chat, what they may choose, what operators type."""

from __future__ import annotations

import pytest

from bot.domain.accounts import (
    Account,
    AccountChanges,
    AccountProblem,
    ChatRefusal,
    Moves,
    PlanTier,
    account_changes,
    account_name,
    apply_changes,
    channel_id,
    chat_allowed,
    impacts_for,
    name_key,
    new_account,
    parse_tier,
    team_id,
    user_id,
)
from bot.domain.requests import IntakeChannel, Priority

ADMIN, STAFF = "U0ADMIN", "U0STAFF"
FULL_WIDTH = "\uff41\uff43\uff4d\uff45 \uff43\uff4f\uff52\uff50"  # acme corp


def _account(tier: PlanTier) -> Account:
    return Account(name="Acme", tier=tier, channel_ids=("C0ACME",), admin_ids=(ADMIN, "W0OWNER"))


@pytest.mark.parametrize(
    ("tier", "person", "refusal"),
    [
        (PlanTier.PROFESSIONAL, ADMIN, ChatRefusal.PLAN),
        (PlanTier.PROFESSIONAL, STAFF, ChatRefusal.PLAN),
        (PlanTier.ENTERPRISE, ADMIN, None),
        (PlanTier.ENTERPRISE, STAFF, ChatRefusal.ROLE),
        (PlanTier.ULTIMATE, ADMIN, None),
        (PlanTier.ULTIMATE, "W0OWNER", None),
        (PlanTier.ULTIMATE, STAFF, ChatRefusal.ROLE),
    ],
)
def test_chat_is_for_admins_of_enterprise_and_ultimate(
    tier: PlanTier, person: str, refusal: ChatRefusal | None
) -> None:
    assert chat_allowed(_account(tier), person) == refusal


def test_refusals_read_as_the_filing_code_words() -> None:
    assert chat_allowed(_account(PlanTier.PROFESSIONAL), ADMIN) == "plan"
    assert chat_allowed(_account(PlanTier.ENTERPRISE), STAFF) == "role"


@pytest.mark.parametrize("tier", [PlanTier.ENTERPRISE, PlanTier.ULTIMATE])
def test_admins_of_chat_tiers_choose_any_of_the_four_impacts(tier: PlanTier) -> None:
    impacts = impacts_for(_account(tier), ADMIN)
    assert impacts.route is IntakeChannel.CHAT
    assert impacts.priorities == (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL)


@pytest.mark.parametrize(
    ("tier", "person"),
    [
        (PlanTier.PROFESSIONAL, ADMIN),
        (PlanTier.PROFESSIONAL, STAFF),
        (PlanTier.ENTERPRISE, STAFF),
        (PlanTier.ULTIMATE, STAFF),
    ],
)
def test_everyone_else_files_medium_by_the_email_route(tier: PlanTier, person: str) -> None:
    impacts = impacts_for(_account(tier), person)
    assert impacts.route is IntakeChannel.EMAIL
    assert impacts.priorities == (Priority.MEDIUM,)


def test_only_professional_lacks_chat() -> None:
    assert [tier.has_chat for tier in PlanTier] == [False, True, True]
    assert PlanTier.ULTIMATE.label == "Ultimate"


@pytest.mark.parametrize("text", ["enterprise", "Enterprise", " ULTIMATE ", "professional"])
def test_tiers_are_read_in_any_case(text: str) -> None:
    assert parse_tier(text).value == text.strip().lower()


def test_an_unknown_tier_names_the_known_ones() -> None:
    with pytest.raises(AccountProblem) as raised:
        parse_tier("gold")
    assert str(raised.value) == (
        "'gold' is not a plan tier: use one of professional, enterprise, ultimate."
    )


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (channel_id, ["C0123ABCD", "G0PRIVATE", " C0AB "], ["D0123", "c0123", "C", "C0_X", ""]),
        (team_id, ["T0123ABCD", "E0GRID"], ["C0123", "t0123", "T-1", "T"]),
        (user_id, ["U0123ABCD", "W0GRID"], ["B0BOT", "u0123", "U 1", "S0GROUP"]),
    ],
)
def test_slack_ids_by_their_prefix(check: object, good: list[str], bad: list[str]) -> None:
    assert callable(check)
    assert [check(text) for text in good] == [text.strip() for text in good]
    for text in bad:
        with pytest.raises(AccountProblem, match="is not a Slack"):
            check(text)


def test_an_overlong_id_is_refused() -> None:
    with pytest.raises(AccountProblem):
        channel_id("C" + "0" * 40)


def test_names_are_trimmed_and_unique_whatever_their_case() -> None:
    assert account_name("  Acme   Corp ") == "Acme Corp"
    assert name_key("ACME Corp") == name_key("acme corp") == name_key(FULL_WIDTH)
    assert name_key("Straße") == name_key("STRASSE")
    for bad in ["", "   ", "x" * 121, "Acme\x00"]:
        with pytest.raises(AccountProblem):
            account_name(bad)


def test_a_new_account_is_checked_whole_and_sorted() -> None:
    account = new_account(
        name=" Acme ",
        tier="Ultimate",
        channels=["C0B", "C0A", "C0B"],
        teams=["T0A"],
        admins=["W0B", "U0A"],
        project=" Migration ",
    )
    assert account == Account(
        name="Acme",
        tier=PlanTier.ULTIMATE,
        channel_ids=("C0A", "C0B"),
        team_ids=("T0A",),
        admin_ids=("U0A", "W0B"),
        project="Migration",
    )
    assert account.key == "acme"
    assert account.is_admin("W0B") and not account.is_admin("U0Z")


def test_a_new_account_needs_a_shared_channel() -> None:
    with pytest.raises(AccountProblem, match="at least one shared channel"):
        new_account(name="Acme", tier="enterprise", channels=[])


def _acme() -> Account:
    return new_account(
        name="Acme",
        tier="enterprise",
        channels=["C0A"],
        teams=["T0A"],
        admins=["U0A"],
        project="Old",
    )


def test_changes_add_remove_rename_and_retier() -> None:
    changes = account_changes(
        rename="Acme Corp",
        tier="ultimate",
        add_channels=["C0B"],
        add_teams=["E0GRID"],
        remove_teams=["T0A"],
        add_admins=["W0B"],
        remove_admins=["U0A"],
        project="New",
    )
    changed = apply_changes(_acme(), changes)
    assert changed == Account(
        name="Acme Corp",
        tier=PlanTier.ULTIMATE,
        channel_ids=("C0A", "C0B"),
        team_ids=("E0GRID",),
        admin_ids=("W0B",),
        project="New",
    )


def test_the_default_project_can_be_cleared_or_kept() -> None:
    assert apply_changes(_acme(), account_changes(clear_project=True)).project is None
    assert apply_changes(_acme(), account_changes(tier="ultimate")).project == "Old"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Nothing to change"),
        ({"add_channels": ["C0B"], "remove_channels": ["C0B"]}, "C0B is both added and removed"),
        ({"project": "X", "clear_project": True}, "not both"),
        ({"add_admins": ["B0BOT"]}, "is not a Slack user id"),
        ({"tier": "free"}, "is not a plan tier"),
        ({"rename": " "}, "account name is empty"),
    ],
)
def test_bad_changes_are_refused_before_any_account_is_read(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(AccountProblem, match=message):
        account_changes(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (AccountChanges(channels=Moves(removed=("C0A",))), "no shared channel left"),
        (AccountChanges(channels=Moves(removed=("C0Z",))), "Acme has no channel C0Z"),
        (AccountChanges(teams=Moves(removed=("T0Z",))), "Acme has no team T0Z"),
        (AccountChanges(admins=Moves(removed=("U0Z",))), "Acme has no admin U0Z"),
    ],
)
def test_removing_what_the_account_lacks_is_a_mistake(
    changes: AccountChanges, message: str
) -> None:
    with pytest.raises(AccountProblem, match=message):
        apply_changes(_acme(), changes)


def test_replacing_the_only_channel_in_one_change_is_fine() -> None:
    changes = account_changes(add_channels=["C0B"], remove_channels=["C0A"])
    assert apply_changes(_acme(), changes).channel_ids == ("C0B",)
