"""Reads a Statuspage API v2 listing (incidents.json, unresolved.json) into `Incident` values.

A listing the desk cannot trust (not JSON, a required field missing or malformed) is
refused whole with `FeedInvalid`, so a half-read feed never overwrites what the desk knows.
Words the desk does not know (statuses, impacts) are kept as they came.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pendulum
from pendulum import DateTime
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from bot.domain.incidents import Incident, IncidentUpdate, newer_listing

_ID = Field(min_length=1, max_length=64)
_WORD = Field(min_length=1, max_length=32)


class FeedInvalid(ValueError):
    """The listing is not a Statuspage incidents listing; `reason` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)


class _Update(_Model):
    id: str = _ID
    status: str = _WORD
    body: str
    created_at: AwareDatetime

    @field_validator("status")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class _Component(_Model):
    name: str


class _Incident(_Model):
    id: str = _ID
    name: str
    status: str = _WORD
    impact: str = _WORD
    created_at: AwareDatetime
    resolved_at: AwareDatetime | None = None
    shortlink: str | None = None
    components: list[_Component] = []
    incident_updates: list[_Update] = []

    @field_validator("status", "impact")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class _Listing(_Model):
    incidents: list[_Incident]


def parse_listing(payload: bytes | str) -> tuple[Incident, ...]:
    """The incidents of one listing, as the feed orders them; FeedInvalid when it cannot."""
    try:
        listing = _Listing.model_validate_json(payload)
    except ValidationError as error:
        raise FeedInvalid(_reason(error)) from None
    return tuple(_incident(raw) for raw in listing.incidents)


def merge_listings(recent: Iterable[Incident], unresolved: Iterable[Incident]) -> list[Incident]:
    """One value per incident id from both listings, the fuller listing of each winning."""
    merged: dict[str, Incident] = {}
    for incident in (*recent, *unresolved):
        known = merged.get(incident.id)
        merged[incident.id] = incident if known is None else newer_listing(known, incident)
    return list(merged.values())


def _incident(raw: _Incident) -> Incident:
    updates = sorted(map(_update, raw.incident_updates), key=lambda u: (u.created_at, u.id))
    return Incident(
        id=raw.id,
        name=raw.name.strip(),
        status=raw.status,
        impact=raw.impact,
        created_at=_utc(raw.created_at),
        resolved_at=None if raw.resolved_at is None else _utc(raw.resolved_at),
        shortlink=(raw.shortlink or "").strip() or None,
        components=tuple(name for c in raw.components if (name := c.name.strip())),
        updates=tuple(updates),
    )


def _update(raw: _Update) -> IncidentUpdate:
    return IncidentUpdate(
        id=raw.id, status=raw.status, body=raw.body, created_at=_utc(raw.created_at)
    )


def _utc(value: datetime) -> DateTime:
    return pendulum.instance(value).in_timezone("UTC")


def _reason(error: ValidationError) -> str:
    """The first problem, as `incidents[3].created_at: Field required`."""
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return "not valid JSON"
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    more = error.error_count() - 1
    tail = f" (and {more} more)" if more else ""
    return f"{where.lstrip('.') or 'listing'}: {first['msg']}{tail}"
