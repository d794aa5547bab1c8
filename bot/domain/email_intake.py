"""Email intake: the request an email post becomes, even one that cannot be read."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

UNREADABLE_SUBJECT = "Unreadable email"
ADDRESS_MAX = 254  # the longest address SMTP delivers to (RFC 5321)
NAME_MAX = 120
_ATOM = r"[^\s@<>|\"'`,;:()\[\]\\]+"
_ADDRESS = re.compile(rf"{_ATOM}@{_ATOM}\.[A-Za-z0-9-]{{2,63}}")
# Control characters other than tab and newline: PostgreSQL refuses NUL, readers see noise.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Asked only when the request must point at the message in Slack (a permalink, or None).
LinkSource = Callable[[], str | None]


@dataclass(frozen=True)
class Email:
    """What an email post carries, as far as it could be read (empty when absent)."""

    subject: str = ""
    body: str = ""
    # The words of the Slack message itself, beside or instead of an email file.
    note: str = ""
    sender_address: str | None = None
    sender_name: str = ""
    # Slack sent only part of the body: the rest is in the message in Slack.
    partial: bool = False


@dataclass(frozen=True)
class EmailRequest:
    """The subject, description and requester an email post is filed with."""

    subject: str
    description: str
    requester_name: str
    requester_contact: str | None
    readable: bool


def sender_address(value: str) -> str | None:
    """The address when it reads as one a reply could go to, else None."""
    address = value.strip()
    if len(address) > ADDRESS_MAX or not _ADDRESS.fullmatch(address):
        return None
    return address


def email_request(
    email: Email, *, link: LinkSource, subject_limit: int, description_limit: int
) -> EmailRequest:
    """The request an email post becomes; one that cannot be read still becomes one.

    The subject is the email's subject, else the first line of its text. The description
    is the message's own words and the email's text. An email with neither becomes an
    "Unreadable email" that links to the message; a description cut to fit, or an email
    Slack sent only part of, ends with a link to the whole of it.
    """
    text = _joined(_clean(email.note), _clean(email.body))
    headline = _first_line(_clean(email.subject)) or _first_line(text)
    name = _clip(" ".join(_clean(email.sender_name).split()), NAME_MAX)
    contact = sender_address(email.sender_address or "")
    if not headline:
        description = _unreadable(contact, link())
    elif email.partial or len(text) > description_limit:
        description = _cut(text, link(), description_limit)
    else:
        description = text or headline
    return EmailRequest(
        subject=_clip(headline, subject_limit) if headline else UNREADABLE_SUBJECT,
        description=description,
        requester_name=name,
        requester_contact=contact,
        readable=bool(headline),
    )


def _unreadable(address: str | None, link: str | None) -> str:
    lines = ["An email post in the intake channel had no subject and no text to read."]
    if address:
        lines.append(f"From: {address}")
    lines.append(f"The message: {link}" if link else "The message is in the email channel.")
    return "\n".join(lines)


def _cut(text: str, link: str | None, limit: int) -> str:
    """The text within `limit`, ending with where to read all of it."""
    pointer = f"\n\n[…] The whole email: {link}" if link else ""
    if not pointer or len(pointer) > limit // 2:
        pointer = "\n\n[…] The whole email is in the email channel."
    return _clip(text, limit - len(pointer)) + pointer


def _clean(text: str) -> str:
    """Text without control characters, with plain newlines."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _joined(note: str, body: str) -> str:
    """The message's words and the email's text, a blank line apart; what one repeats, once."""
    note, body = note.strip(), body.strip()
    if not note or note in body:
        return body
    if not body or body in note:
        return note
    return f"{note}\n\n{body}"


def _first_line(text: str) -> str:
    """The first line with words in it, its spaces collapsed."""
    for line in text.splitlines():
        if words := line.split():
            return " ".join(words)
    return ""


def _clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
