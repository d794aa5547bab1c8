"""The policy's terms as they stood when a request was filed: copied onto each request.

Like an escalation policy copied onto each alert group, a request keeps the targets and
reminder fractions of its filing, so a later edit of the settings moves only new requests.
The business calendar is not part of the terms: opening hours and holidays stay live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from bot.domain.requests import Priority

FIRST_RESPONSE_TARGETS: Mapping[Priority, timedelta] = MappingProxyType(
    {
        Priority.LOW: timedelta(hours=4),
        Priority.MEDIUM: timedelta(hours=2),
        Priority.HIGH: timedelta(hours=1),
        Priority.CRITICAL: timedelta(minutes=15),
    }
)
# 4 business days, where a business day is 24 h of open time (see docs/sla.md).
RESOLUTION_TARGET = timedelta(hours=96)
CRITICAL_UPDATE_INTERVAL = timedelta(minutes=30)
DEFAULT_REMINDER_FRACTIONS = (0.5, 0.8)


def _checked_fractions(fractions: Sequence[float]) -> tuple[float, ...]:
    for fraction in fractions:
        if not 0 < fraction < 1:
            raise ValueError(f"reminder fractions must lie between 0 and 1, got {fraction}")
    return tuple(sorted(set(fractions)))


@dataclass(frozen=True)
class SlaTerms:
    """Targets per priority, the resolution norm, reminder fractions, the update cadence."""

    reminder_fractions: tuple[float, ...] = DEFAULT_REMINDER_FRACTIONS
    first_response: Mapping[Priority, timedelta] = field(
        default_factory=lambda: FIRST_RESPONSE_TARGETS, hash=False
    )
    resolution: timedelta = RESOLUTION_TARGET
    update_interval: timedelta = CRITICAL_UPDATE_INTERVAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "reminder_fractions", _checked_fractions(self.reminder_fractions))
        # A priority the mapping leaves out keeps the policy's own target.
        targets = {**FIRST_RESPONSE_TARGETS, **self.first_response}
        object.__setattr__(self, "first_response", MappingProxyType(targets))

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the request's `sla_terms` column (seconds, fractions)."""
        return {
            "reminder_fractions": list(self.reminder_fractions),
            "first_response_seconds": {
                p.value: int(t.total_seconds()) for p, t in self.first_response.items()
            },
            "resolution_seconds": int(self.resolution.total_seconds()),
            "update_interval_seconds": int(self.update_interval.total_seconds()),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> SlaTerms:
        """The terms stored on a request; requests filed before snapshots get the defaults."""
        if not data:
            return cls()
        targets = data.get("first_response_seconds") or {}
        return cls(
            reminder_fractions=tuple(
                float(f) for f in data.get("reminder_fractions", DEFAULT_REMINDER_FRACTIONS)
            ),
            first_response={
                p: timedelta(
                    seconds=int(
                        targets.get(p.value, int(FIRST_RESPONSE_TARGETS[p].total_seconds()))
                    )
                )
                for p in Priority
            },
            resolution=timedelta(
                seconds=int(data.get("resolution_seconds", RESOLUTION_TARGET.total_seconds()))
            ),
            update_interval=timedelta(
                seconds=int(
                    data.get("update_interval_seconds", CRITICAL_UPDATE_INTERVAL.total_seconds())
                )
            ),
        )
