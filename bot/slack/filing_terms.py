"""Who may file what, account by account (§2, §11): the route, the impacts and the account.

A person of a customer account (someone of another organisation whose team maps to one, or
anyone filing in an account's shared channel) is judged by the account's plan tier and its
recorded admins. The desk's own people filing in a shared channel file on the account's
behalf and name the customer; support and on-call members may choose any impact. Anyone
else is judged as before: the workspace's plan tier and its chat admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.accounts import Account, ChatRefusal
from bot.domain.requests import IntakeChannel
from bot.domain.shared_prompts import offer_for
from bot.services.accounts import account_for_channel, account_for_team
from bot.slack.deps import SlackDeps
from bot.slack.filing import chat_refusal


@dataclass(frozen=True)
class FilingTerms:
    """The route a person files on, why not chat (`plan` / `role`), and for which account."""

    route: IntakeChannel
    refusal: ChatRefusal | None = None
    account: Account | None = None
    on_behalf: bool = False  # the desk's staff filing for the account: the modal names the customer

    @property
    def chat(self) -> bool:
        return self.route is IntakeChannel.CHAT


def filing_terms(
    deps: SlackDeps,
    *,
    user_id: str,
    channel_id: str | None,
    user_team: str | None = None,
    home_team: str | None = None,
) -> FilingTerms:
    """The terms of a filing by this person from this channel (None: not from a channel)."""
    external = bool(user_team and home_team and user_team != home_team)
    account = account_for_channel(deps.desk, channel_id) if channel_id else None
    if account is None and external and user_team:
        account = account_for_team(deps.desk, user_team)
    if account is None:
        refusal = chat_refusal(deps, user_id)
        return FilingTerms(IntakeChannel.EMAIL if refusal else IntakeChannel.CHAT, refusal)
    on_behalf = not external and not account.is_admin(user_id)
    if on_behalf and deps.directory.is_desk_member(user_id):
        return FilingTerms(IntakeChannel.CHAT, None, account, on_behalf=True)
    offer = offer_for(account, user_id)
    return FilingTerms(offer.impacts.route, offer.refusal, account, on_behalf=on_behalf)


def home_team(body: dict[str, Any]) -> str | None:
    """The workspace the app is installed in, as an interaction payload names it."""
    view = _obj(body.get("view"))
    team = view.get("app_installed_team_id") or _obj(body.get("team")).get("id")
    team = team or body.get("team_id")
    return team if isinstance(team, str) else None


def user_team(body: dict[str, Any]) -> str | None:
    """The acting person's own team (another organisation's in Slack Connect)."""
    team = _obj(body.get("user")).get("team_id")
    return team if isinstance(team, str) else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
