"""Customer accounts (§11) and who may file through chat (§2).

A customer's owners and administrators are roles in its organisation that Slack does not show
the vendor, so the desk records them. Pure: names and Slack ids are checked here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.domain.errors import DeskError
from bot.domain.requests import IntakeChannel, Priority

NAME_MAX = 120
PROJECT_MAX = 120  # as a request's project
SLACK_ID_MAX = 32


class PlanTier(StrEnum):
    """The customer's plan: Professional has no chat route, the others do."""

    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"
    ULTIMATE = "ultimate"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def has_chat(self) -> bool:
        return self is not PlanTier.PROFESSIONAL


class ChatRefusal(StrEnum):
    """Why a person may not file through chat: the account's plan, or their role in it."""

    PLAN = "plan"
    ROLE = "role"


class AccountProblem(DeskError):
    """Bad account input, or a clash with another account; the message is one line."""


@dataclass(frozen=True)
class Impacts:
    """The impacts a person may choose, and the route their request takes."""

    route: IntakeChannel
    priorities: tuple[Priority, ...]


@dataclass(frozen=True)
class Account:
    """A customer organisation: its plan, where it reaches the desk, and its chat admins."""

    name: str
    tier: PlanTier
    channel_ids: tuple[str, ...]
    team_ids: tuple[str, ...] = ()
    admin_ids: tuple[str, ...] = ()
    project: str | None = None
    id: int = 0

    @property
    def key(self) -> str:
        """The name as compared for uniqueness: case and width do not count."""
        return name_key(self.name)

    def is_admin(self, user_id: str) -> bool:
        """Whether the desk records this person as an owner or administrator of the account."""
        return user_id in self.admin_ids


def chat_allowed(account: Account, user_id: str) -> ChatRefusal | None:
    """Why this person may not file through chat, or None when they may (§2)."""
    if not account.tier.has_chat:
        return ChatRefusal.PLAN
    if not account.is_admin(user_id):
        return ChatRefusal.ROLE
    return None


def impacts_for(account: Account, user_id: str) -> Impacts:
    """Chat admins of Enterprise and Ultimate choose any impact; anyone else files Medium by
    the email route."""
    if chat_allowed(account, user_id) is None:
        return Impacts(IntakeChannel.CHAT, tuple(Priority))
    return Impacts(IntakeChannel.EMAIL, (Priority.MEDIUM,))


_CHANNEL = re.compile(rf"[CG][A-Z0-9]{{2,{SLACK_ID_MAX - 1}}}")
_TEAM = re.compile(rf"[TE][A-Z0-9]{{2,{SLACK_ID_MAX - 1}}}")
_USER = re.compile(rf"[UW][A-Z0-9]{{2,{SLACK_ID_MAX - 1}}}")
_SPACE = re.compile(r"\s+")


def parse_tier(text: str) -> PlanTier:
    """A plan tier by its name, in any case."""
    try:
        return PlanTier(text.strip().lower())
    except ValueError:
        names = ", ".join(tier.value for tier in PlanTier)
        raise AccountProblem(f"{text!r} is not a plan tier: use one of {names}.") from None


def channel_id(text: str) -> str:
    """A Slack channel id: C… (or G… for an older private channel)."""
    return _slack_id(text, _CHANNEL, "channel id (C… or G…, e.g. C0123ABCD)")


def team_id(text: str) -> str:
    """A Slack team id: T… for a workspace, E… for an Enterprise Grid organisation."""
    return _slack_id(text, _TEAM, "team id (T… or E…, e.g. T0123ABCD)")


def user_id(text: str) -> str:
    """A Slack user id: U… (or W… on Enterprise Grid)."""
    return _slack_id(text, _USER, "user id (U… or W…, e.g. U0123ABCD)")


def _slack_id(text: str, pattern: re.Pattern[str], what: str) -> str:
    value = text.strip()
    if not pattern.fullmatch(value):
        raise AccountProblem(f"{text!r} is not a Slack {what}.")
    return value


def account_name(text: str) -> str:
    """The name as shown: spaces trimmed and collapsed; not empty, not too long."""
    return _words(text, what="account name", limit=NAME_MAX)


def project_name(text: str) -> str:
    """A default project, as a request's project field holds it."""
    return _words(text, what="project name", limit=PROJECT_MAX)


def _words(text: str, *, what: str, limit: int) -> str:
    value = _SPACE.sub(" ", text).strip()
    if not value:
        raise AccountProblem(f"The {what} is empty.")
    if len(value) > limit:
        raise AccountProblem(f"The {what} is longer than {limit} characters.")
    if any(unicodedata.category(char).startswith("C") for char in value):
        raise AccountProblem(f"The {what} {value!r} holds control characters.")
    return value


def name_key(name: str) -> str:
    """The form under which names are unique: case and full-width letters do not count."""
    return unicodedata.normalize("NFKC", name).casefold()


def _ids(texts: Iterable[str], check: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(sorted({check(text) for text in texts}))


def new_account(
    *,
    name: str,
    tier: str,
    channels: Iterable[str],
    teams: Iterable[str] = (),
    admins: Iterable[str] = (),
    project: str | None = None,
) -> Account:
    """An account from what an operator typed, every part checked (duplicates dropped)."""
    channel_ids = _ids(channels, channel_id)
    if not channel_ids:
        raise AccountProblem("An account needs at least one shared channel.")
    return Account(
        name=account_name(name),
        tier=parse_tier(tier),
        channel_ids=channel_ids,
        team_ids=_ids(teams, team_id),
        admin_ids=_ids(admins, user_id),
        project=None if project is None else project_name(project),
    )


@dataclass(frozen=True)
class Moves:
    """Ids to add to and to remove from one of an account's lists."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def applied(self, current: tuple[str, ...], *, what: str, account: str) -> tuple[str, ...]:
        if missing := [item for item in self.removed if item not in current]:
            raise AccountProblem(f"{account} has no {what} {missing[0]}.")
        return tuple(sorted((set(current) | set(self.added)) - set(self.removed)))


def _moves(added: Iterable[str], removed: Iterable[str], check: Callable[[str], str]) -> Moves:
    moves = Moves(_ids(added, check), _ids(removed, check))
    if both := sorted(set(moves.added) & set(moves.removed)):
        raise AccountProblem(f"{both[0]} is both added and removed.")
    return moves


@dataclass(frozen=True)
class AccountChanges:
    """An update an operator asked for, each part checked (made by `account_changes`)."""

    rename: str | None = None
    tier: PlanTier | None = None
    channels: Moves = Moves()
    teams: Moves = Moves()
    admins: Moves = Moves()
    project: str | None = None
    clear_project: bool = False


def account_changes(
    *,
    rename: str | None = None,
    tier: str | None = None,
    add_channels: Iterable[str] = (),
    remove_channels: Iterable[str] = (),
    add_teams: Iterable[str] = (),
    remove_teams: Iterable[str] = (),
    add_admins: Iterable[str] = (),
    remove_admins: Iterable[str] = (),
    project: str | None = None,
    clear_project: bool = False,
) -> AccountChanges:
    """The changes from what an operator typed; nothing at all to change is a mistake too."""
    if project is not None and clear_project:
        raise AccountProblem("Give a default project or clear it, not both.")
    changes = AccountChanges(
        rename=None if rename is None else account_name(rename),
        tier=None if tier is None else parse_tier(tier),
        channels=_moves(add_channels, remove_channels, channel_id),
        teams=_moves(add_teams, remove_teams, team_id),
        admins=_moves(add_admins, remove_admins, user_id),
        project=None if project is None else project_name(project),
        clear_project=clear_project,
    )
    if changes == AccountChanges():
        raise AccountProblem("Nothing to change: give at least one change (see --help).")
    return changes


def apply_changes(account: Account, changes: AccountChanges) -> Account:
    """The account with the changes made; removing what it does not have is a mistake."""
    name = account.name
    channels = changes.channels.applied(account.channel_ids, what="channel", account=name)
    if not channels:
        raise AccountProblem(f"{name} would have no shared channel left: add one first.")
    return replace(
        account,
        name=changes.rename or name,
        tier=changes.tier or account.tier,
        channel_ids=channels,
        team_ids=changes.teams.applied(account.team_ids, what="team", account=name),
        admin_ids=changes.admins.applied(account.admin_ids, what="admin", account=name),
        project=None if changes.clear_project else (changes.project or account.project),
    )
