"""The impact prompt in a customer's thread (§11): what it offers, and who may answer it when.

One prompt answers one customer message. An account admin on Enterprise or Ultimate picks
any of the four impacts; anyone else, or anyone of a Professional account, is filed at once
at Medium through the email route and told why. An unanswered prompt lapses after 24 hours.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from pendulum import DateTime

from bot.domain.accounts import Account, ChatRefusal, Impacts, chat_allowed, impacts_for
from bot.domain.requests import IntakeChannel, Priority

PROMPT_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class PromptOffer:
    """What the app offers the author of a customer message."""

    impacts: Impacts
    refusal: ChatRefusal | None  # why chat is closed to them, when it is

    @property
    def files_at_once(self) -> bool:
        """Nothing to choose: the request is filed at Medium through the email route now."""
        return self.impacts.route is IntakeChannel.EMAIL


def offer_for(account: Account, user_id: str) -> PromptOffer:
    """The impacts this person of the account may choose (§2), and why not more."""
    return PromptOffer(impacts_for(account, user_id), chat_allowed(account, user_id))


def allowed_pick(offer: PromptOffer, wanted: Priority) -> tuple[IntakeChannel, Priority]:
    """The route and impact a pick files: never past what the person may choose."""
    if wanted in offer.impacts.priorities:
        return offer.impacts.route, wanted
    return IntakeChannel.EMAIL, Priority.MEDIUM


class PickRefusal(StrEnum):
    """Why a click on a prompt files nothing."""

    FILED = "filed"  # already filed from this message (by a pick or by the modal)
    NOT_YOURS = "not_yours"  # only the message's author answers its prompt
    EXPIRED = "expired"  # 24 hours passed, or the prompt was closed
    UNMAPPED = "unmapped"  # the channel no longer belongs to an account


@dataclass(frozen=True)
class SharedPrompt:
    """A stored prompt: the customer message it answers and what became of it."""

    id: int
    channel_id: str
    message_ts: str
    user_id: str
    account_id: int
    text: str
    created_at: DateTime
    expires_at: DateTime
    team_id: str | None = None
    prompt_ts: str | None = None
    request_id: int | None = None
    closed_at: DateTime | None = None

    def expired(self, now: DateTime) -> bool:
        """Past its 24 hours, or closed without a request."""
        return (self.closed_at is not None and self.request_id is None) or now >= self.expires_at

    def refusal(self, *, user_id: str, now: DateTime) -> PickRefusal | None:
        """Why this person's click files nothing now, or None when it files."""
        if self.request_id is not None:
            return PickRefusal.FILED
        if user_id != self.user_id:
            return PickRefusal.NOT_YOURS
        if self.expired(now):
            return PickRefusal.EXPIRED
        return None


def prompt_expiry(created_at: DateTime) -> DateTime:
    """When an unanswered prompt lapses."""
    return created_at + PROMPT_LIFETIME
