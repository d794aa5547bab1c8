"""Every kind of timer the desk keeps, declared once: where it speaks and what moves it.

The timer plan (`bot.domain.timer_plan`) schedules the clock kinds, the due-timer rules
(`bot.domain.due_timers`) decide them, and `bot.slack.surfaces.notices.RENDERERS` renders
each kind; a test checks that every kind here has a renderer. Adding a kind is one entry
here, one renderer, and its planning rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pendulum import DateTime


class TimerKind(StrEnum):
    FIRST_RESPONSE_REMINDER = "first_response_reminder"
    FIRST_RESPONSE_BREACH = "first_response_breach"
    CRITICAL_UPDATE = "critical_update"
    RESOLUTION_REMINDER = "resolution_reminder"
    RESOLUTION_BREACH = "resolution_breach"
    # Posted to the escalation channel after a breach, as a timer of its own so a failure
    # there is retried without repeating the breach notice in the conversation.
    BREACH_ESCALATION = "breach_escalation"
    RESOLUTION_ESCALATION = "resolution_escalation"
    # Posts the root message of a request whose conversation is owed (filed, or moved).
    PUBLISH_CONVERSATION = "publish_conversation"

    @property
    def spec(self) -> TimerSpec:
        return TIMER_SPECS[self]


class Where(StrEnum):
    """Where a timer's notice is said."""

    CONVERSATION = "conversation"
    ESCALATION_CHANNEL = "escalation_channel"
    # Not a notice: the root message itself, posted by the open-conversation use case.
    ROOT_MESSAGE = "root_message"


@dataclass(frozen=True)
class TimerSpec:
    """How one kind behaves: where it speaks, whether a clock change cancels it."""

    where: Where
    # Clock timers are cancelled and planned afresh whenever the request's clocks move.
    clock: bool
    # The line a digest shows for it, when the line needs no numbers.
    digest_words: str = ""


TIMER_SPECS: dict[TimerKind, TimerSpec] = {
    TimerKind.FIRST_RESPONSE_REMINDER: TimerSpec(Where.CONVERSATION, clock=True),
    TimerKind.FIRST_RESPONSE_BREACH: TimerSpec(
        Where.CONVERSATION, clock=True, digest_words="first-response target breached"
    ),
    TimerKind.CRITICAL_UPDATE: TimerSpec(
        Where.CONVERSATION, clock=True, digest_words="Critical: an update is due"
    ),
    TimerKind.RESOLUTION_REMINDER: TimerSpec(Where.CONVERSATION, clock=True),
    TimerKind.RESOLUTION_BREACH: TimerSpec(
        Where.CONVERSATION, clock=True, digest_words="resolution target breached"
    ),
    TimerKind.BREACH_ESCALATION: TimerSpec(
        Where.ESCALATION_CHANNEL, clock=False, digest_words="breached its first-response target"
    ),
    TimerKind.RESOLUTION_ESCALATION: TimerSpec(
        Where.ESCALATION_CHANNEL, clock=False, digest_words="breached its resolution target"
    ),
    TimerKind.PUBLISH_CONVERSATION: TimerSpec(Where.ROOT_MESSAGE, clock=False),
}

CLOCK_KINDS = tuple(kind for kind, spec in TIMER_SPECS.items() if spec.clock)


@dataclass(frozen=True)
class DueTimer:
    """A claimed timer as the rules see it."""

    id: int
    kind: TimerKind
    fire_at: DateTime
    request_version: int
    fraction: float | None = None
    attempts: int = 0
