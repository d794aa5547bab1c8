"""Slack Connect intake (§11): which top-level messages in a shared channel start a request.

A customer's top-level message in a mapped shared channel is a request unless it is plainly
not one: a thanks, an "ok", an emoji, a greeting, an answer to the app, or a word about a
request that already has its conversation. Messages of bots, of the app and of the desk's own
people never are. Pure: the text is Slack's message text (`<@U…>` tokens, & < > escaped).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.accounts import Account
from bot.domain.model import KEY_PREFIX

# A new message by a person (a file with a comment included); edits, joins, bot posts and
# thread broadcasts are not new requests.
PERSON_SUBTYPES = frozenset({None, "file_share"})
# A short message made only of these words acknowledges, greets or answers; it asks nothing.
_ACK_VOCABULARY = """
    thanks thank thx tx ty tyvm tysm thankyou cheers appreciated appreciate much very so a lot
    lots many again ok okay k kk oki cool great perfect awesome nice good fine excellent
    wonderful brilliant sounds looks got it its is was all set noted understood will do sure
    yes yep yeah yup ya no nope np done fixed works working worked now resolved solved sorted
    lgtm ack roger hi hello hey there team guys folks everyone morning afternoon evening you
    u we me i ill well too and wow haha lol bye see later talk soon have day weekend
"""
ACK_WORDS = frozenset(_ACK_VOCABULARY.split())
# Acknowledgements whose words, alone, could ask for something ("help", "problem").
_ACK_PHRASES = re.compile(
    r"\bthanks? (?:you )?(?:so much |a lot )?for (?:the |your |all the |all your )?"
    r"(?:quick |fast )?(?:help|reply|response|answer|fix|support)\b"
    r"|\bno problem\b"
)
ACK_MAX_WORDS = 12
# A request filed from a message keeps what the filing modal would let a person type.
SUBJECT_LIMIT = 150
DESCRIPTION_LIMIT = 3000

_APP_MENTION = re.compile(r"^\s*<@(?P<user>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
_TOKEN = re.compile(r"<[^>]*>")  # mentions, channel links, links, dates: not the person's words
_SHORTCODE = re.compile(r":[a-z0-9_+'-]+:")  # :thumbsup:, :+1:, :pray::skin-tone-2:
_REQUEST_KEY = re.compile(rf"\b{re.escape(KEY_PREFIX)}\d+\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_APOSTROPHE = re.compile("['`\u2018\u2019\u00b4]")


@dataclass(frozen=True)
class ChannelMessage:
    """A message event in a shared channel, as far as intake cares."""

    channel_id: str
    ts: str
    user_id: str | None
    text: str
    author_team: str | None = None  # the author's own team (another organisation's: external)
    home_team: str | None = None  # the team the app is installed in
    subtype: str | None = None
    bot_id: str | None = None
    thread_ts: str | None = None

    @property
    def top_level(self) -> bool:
        return not self.thread_ts or self.thread_ts == self.ts

    @property
    def external(self) -> bool:
        """Written by a person of another organisation than the desk's."""
        return bool(self.author_team and self.home_team and self.author_team != self.home_team)


def by_a_person(message: ChannelMessage, *, app_user_id: str | None) -> bool:
    """A new top-level message a person wrote (not a bot, not the app, not an edit or a join)."""
    return (
        bool(message.channel_id and message.ts)
        and message.top_level
        and message.subtype in PERSON_SUBTYPES
        and not message.bot_id
        and bool(message.user_id)
        and message.user_id != app_user_id
    )


def from_customer(message: ChannelMessage, account: Account, *, desk_member: bool) -> bool:
    """Written by the customer: a person of another organisation, or one the desk records as
    the account's (its admins, its teams); never one of the desk's own people."""
    if desk_member or not message.user_id:
        return False
    return (
        message.external
        or account.is_admin(message.user_id)
        or (message.author_team is not None and message.author_team in account.team_ids)
    )


def starts_request(
    message: ChannelMessage, account: Account, *, app_user_id: str | None, desk_member: bool
) -> bool:
    """Whether this message in the account's shared channel starts a request."""
    return (
        by_a_person(message, app_user_id=app_user_id)
        and from_customer(message, account, desk_member=desk_member)
        and reads_as_request(message.text, app_user_id=app_user_id)
    )


def reads_as_request(text: str, *, app_user_id: str | None) -> bool:
    """True unless the text is plainly not a request.

    Not a request: nothing but mentions, emoji and punctuation; a short acknowledgement,
    greeting or answer ("thanks!", "ok 👍", "hi team", "yes, works now"); a message that
    names a request key (it belongs to that request's conversation); a message addressed to
    the app that answers it.
    """
    if _REQUEST_KEY.search(text):
        return False
    words = _words(text)
    if not words:
        return False
    acknowledged = _ACK_PHRASES.sub(" ", " ".join(words)).split()
    if len(words) <= ACK_MAX_WORDS and all(word in ACK_WORDS for word in acknowledged):
        return False
    return not (_addressed_to(text, app_user_id) and len(words) <= 2)


def _addressed_to(text: str, app_user_id: str | None) -> bool:
    """The message opens by mentioning the app: it talks to the app."""
    match = _APP_MENTION.match(text)
    return bool(app_user_id and match and match.group("user") == app_user_id)


def _words(text: str) -> list[str]:
    """The person's own words, lower case: tokens, emoji, numbers and punctuation dropped."""
    plain = _SHORTCODE.sub(" ", _TOKEN.sub(" ", text))
    plain = _APOSTROPHE.sub("", _ENTITY.sub(" ", plain.lower()))
    kept = "".join(
        char if char.isalnum() or char.isspace() else " "
        for char in plain
        if not unicodedata.category(char).startswith(("S", "C", "M"))
    )
    return [word for word in kept.split() if any(char.isalpha() for char in word)]


def request_words(text: str, *, subject_limit: int, description_limit: int) -> tuple[str, str]:
    """The subject (the first line, trimmed) and the description (the whole text) of a request
    filed from a message, each within its limit."""
    description = _cut(text.strip(), description_limit)
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    return _cut(first_line, subject_limit), description


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
