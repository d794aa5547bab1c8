"""How a stored request reads on every surface: key, subject, impact and status words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from bot.db.models import SupportRequest
from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.slack.surfaces.blocks import user_text
from bot.slack.text import escape

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,31}$")


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


def _label(kind: Callable[[str], _Labelled], value: str) -> str:
    """The enum member's label, or the escaped raw value if the row holds something else."""
    try:
        return kind(value).label
    except ValueError:
        return escape(value)


def impact(request: SupportRequest) -> str:
    return _label(Priority, request.priority)


def status(request: SupportRequest) -> str:
    return _label(RequestStatus, request.status)


def area(request: SupportRequest) -> str:
    return _label(AffectedArea, request.area)


def contact(request: SupportRequest) -> str:
    return _label(ContactPreference, request.contact)


def kind(request: SupportRequest) -> str:
    return _label(RequestKind, request.kind)


def intake(request: SupportRequest) -> str:
    return {"chat": "Chat", "email": "Email"}.get(request.intake_channel, "Other")


def subject(request: SupportRequest, limit: int = 150) -> str:
    """The subject, escaped for mrkdwn and cut to `limit` characters."""
    return user_text(request.subject.strip() or "(no subject)", limit)


def title(request: SupportRequest, limit: int = 150) -> str:
    """ "KS-1042 · subject", escaped, in at most `limit` characters."""
    prefix = f"{request.key} · "
    return prefix + subject(request, limit - len(prefix))


def priority(request: SupportRequest) -> Priority | None:
    """The request's priority, or None if the row holds something unknown."""
    try:
        return Priority(request.priority)
    except ValueError:
        return None


def is_critical(request: SupportRequest) -> bool:
    return request.priority == Priority.CRITICAL.value


def is_resolved(request: SupportRequest) -> bool:
    return request.status == RequestStatus.RESOLVED.value


def is_email(request: SupportRequest) -> bool:
    return request.intake_channel == IntakeChannel.EMAIL.value


def channel_ref(channel_id: str | None) -> str | None:
    """A channel link like <#C123>, or None when there is no valid channel id."""
    return f"<#{channel_id}>" if channel_id and _CHANNEL_ID.match(channel_id) else None
