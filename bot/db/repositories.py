"""Every repository function in one import: `from bot.db.repositories import ...`."""

from __future__ import annotations

from bot.db.events_repo import append_event, events_of
from bot.db.idempotency_repo import (
    attach_request,
    claim_key,
    forget_keys_before,
    key_request_id,
)
from bot.db.requests_repo import (
    add_request,
    get_by_conversation,
    get_by_key,
    get_request,
    lock_request,
    open_queue,
    parse_key,
    project_assignee,
    requests_of_requester,
)
from bot.db.timers_repo import (
    cancel_timers,
    claim_due_timers,
    count_timers,
    defer_timers,
    finish_timer,
    finish_timers,
    pending_timers,
    release_timer,
    renew_claims,
    schedule_timer,
    take_timer,
)

__all__ = [
    "add_request",
    "append_event",
    "attach_request",
    "cancel_timers",
    "claim_due_timers",
    "claim_key",
    "count_timers",
    "defer_timers",
    "events_of",
    "finish_timer",
    "finish_timers",
    "forget_keys_before",
    "get_by_conversation",
    "get_by_key",
    "get_request",
    "key_request_id",
    "lock_request",
    "open_queue",
    "parse_key",
    "pending_timers",
    "project_assignee",
    "release_timer",
    "renew_claims",
    "requests_of_requester",
    "schedule_timer",
    "take_timer",
]
