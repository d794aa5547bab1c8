"""How a stored request reads on every surface: key, subject, impact and status words."""

from __future__ import annotations

import re

from bot.domain.model import Request
from bot.domain.requests import IntakeChannel, Priority, RequestStatus
from bot.slack.surfaces.blocks import user_text

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,31}$")


def impact(request: Request) -> str:
    return request.priority.label


def status(request: Request) -> str:
    return request.status.label


def area(request: Request) -> str:
    return request.area.label


def contact(request: Request) -> str:
    return request.contact.label


def kind(request: Request) -> str:
    return request.kind.label


def intake(request: Request) -> str:
    return {IntakeChannel.CHAT: "Chat", IntakeChannel.EMAIL: "Email"}.get(
        request.intake_channel, "Other"
    )


def subject(request: Request, limit: int = 150) -> str:
    """The subject, escaped for mrkdwn and cut to `limit` characters."""
    return user_text(request.subject.strip() or "(no subject)", limit)


def title(request: Request, limit: int = 150) -> str:
    """ "KS-1042 · subject", escaped, in at most `limit` characters."""
    prefix = f"{request.key} · "
    return prefix + subject(request, limit - len(prefix))


def is_critical(request: Request) -> bool:
    return request.priority is Priority.CRITICAL


def is_resolved(request: Request) -> bool:
    return request.status is RequestStatus.RESOLVED


def is_email(request: Request) -> bool:
    return request.intake_channel is IntakeChannel.EMAIL


def channel_ref(channel_id: str | None) -> str | None:
    """A channel link like <#C123>, or None when there is no valid channel id."""
    return f"<#{channel_id}>" if channel_id and _CHANNEL_ID.match(channel_id) else None
