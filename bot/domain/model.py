"""A support request as the desk reasons about it: typed, with its policy terms and clocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pendulum import DateTime

from bot.domain.requests import (
    AffectedArea,
    ContactPreference,
    IntakeChannel,
    Priority,
    RequestKind,
    RequestStatus,
)
from bot.domain.sla_terms import SlaTerms

# Public keys read KS-1001, KS-1002, ...: the row id shifted so keys never look tiny.
KEY_PREFIX = "KS-"
KEY_OFFSET = 1000
_KEY = re.compile(rf"\s*{re.escape(KEY_PREFIX)}(\d{{1,15}})\s*", re.IGNORECASE)


def request_key(request_id: int) -> str:
    """The public key customers and engineers quote, e.g. KS-1042."""
    return f"{KEY_PREFIX}{KEY_OFFSET + request_id}"


def parse_key(key: str) -> int | None:
    """The request id behind a public key such as `KS-1042` (any case); None if malformed."""
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    request_id = int(match.group(1)) - KEY_OFFSET
    return request_id if request_id > 0 else None


@dataclass(frozen=True)
class ConversationRef:
    """Where a request's conversation lives: the root message of a thread."""

    channel_id: str
    ts: str


@dataclass(frozen=True)
class Request:
    """One customer issue with its own conversation and SLA clocks (id 0 until stored)."""

    team_id: str
    requester_id: str
    subject: str
    description: str
    priority: Priority
    intake_channel: IntakeChannel
    created_at: DateTime
    first_response_due_at: DateTime
    id: int = 0
    requester_name: str = ""
    # Where to write back to the requester outside Slack: the sender of an emailed request.
    requester_contact: str | None = None
    area: AffectedArea = AffectedArea.OTHER
    contact: ContactPreference = ContactPreference.THREAD
    project: str | None = None
    kind: RequestKind = RequestKind.PROBLEM
    status: RequestStatus = RequestStatus.NEW
    assignee_id: str | None = None
    slack_channel_id: str | None = None
    thread_ts: str | None = None
    # Set while a root message is owed: at filing, and when a change of impact moves the
    # conversation to the other channel. Cleared once the root message is stored.
    conversation_pending: bool = True
    incident_id: str | None = None
    # A customer organisation's request (§11): its account, and the customer's own thread in
    # the shared channel when it was filed there; the triage card is the conversation above.
    account_id: int | None = None
    customer_channel_id: str | None = None
    customer_thread_ts: str | None = None
    updated_at: DateTime | None = None
    first_responded_at: DateTime | None = None
    first_responder_id: str | None = None
    breached_at: DateTime | None = None
    resolution_due_at: DateTime | None = None
    resolution_paused_since: DateTime | None = None
    resolution_paused_seconds: int = 0
    resolution_breached_at: DateTime | None = None
    escalated_to_development_at: DateTime | None = None
    escalated_to_leadership_at: DateTime | None = None
    last_engineer_reply_at: DateTime | None = None
    resolved_at: DateTime | None = None
    # Bumped on every change that moves a clock: a timer of an older version is stale.
    version: int = 1
    terms: SlaTerms = field(default_factory=SlaTerms)

    @property
    def key(self) -> str:
        """The public key customers and engineers quote, e.g. KS-1042."""
        return request_key(self.id)

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def is_critical(self) -> bool:
        return self.priority is Priority.CRITICAL

    @property
    def conversation(self) -> ConversationRef | None:
        """The root message of its current conversation, once posted."""
        if self.slack_channel_id and self.thread_ts:
            return ConversationRef(self.slack_channel_id, self.thread_ts)
        return None

    @property
    def customer_thread(self) -> ConversationRef | None:
        """The customer's own thread in a shared channel (§11), when filed from one."""
        if self.customer_channel_id and self.customer_thread_ts:
            return ConversationRef(self.customer_channel_id, self.customer_thread_ts)
        return None

    @property
    def with_development(self) -> bool:
        """Escalated to Development: off the resolution norm."""
        return (
            self.escalated_to_development_at is not None
            or self.status is RequestStatus.ESCALATED_TO_DEVELOPMENT
        )

    @property
    def resolution_counts(self) -> bool:
        """Whether the resolution clock runs: open, not waiting, never with Development."""
        return (
            self.status not in (RequestStatus.RESOLVED, RequestStatus.WAITING_ON_CUSTOMER)
            and not self.with_development
        )

    def but(self, **changes: Any) -> Request:
        """A copy with these fields changed."""
        return replace(self, **changes)
