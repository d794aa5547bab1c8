"""Sending notices: the sender port and what it reports back to the tick's ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.due_timers import Notice
from bot.domain.model import ConversationRef
from bot.services.ports import DeliveryFailed


@dataclass(frozen=True)
class Delivery:
    """What happened to one notice: delivered, or the reason it was not."""

    notice: Notice
    error: DeliveryFailed | None = None
    # Where a notice posted on its own landed (not for digests), so it can be edited later.
    posted: ConversationRef | None = None


class Ledger(Protocol):
    """The tick's record: a sender asks it just before each send and tells it right after.

    Checking the claim just before a send keeps a notice another replica took over (after
    this one's lease ran out) from going out twice; recording right after each send means
    a crash repeats at most the message that was in flight.
    """

    def still_ours(self, notices: Sequence[Notice]) -> list[Notice]:
        """Renew the claims behind `notices`; the ones this worker may still send."""

    def record(self, deliveries: Sequence[Delivery]) -> None:
        """Record what happened to notices just sent (done, retry later, or failed)."""


class NoticeSender(Protocol):
    """Delivers a tick's notices: paced per channel, combined into digests when many."""

    def send(self, notices: Sequence[Notice], ledger: Ledger) -> None:
        """Send each notice the ledger says is still ours, recording each outcome at once."""
