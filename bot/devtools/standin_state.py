"""The stand-in's workspace state: directory, messages, views and the call log."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from bot.devtools.standin_limits import RateLimiter

TS_START_MICROS = 1_700_000_000_000_100
TS_STEP_MICROS = 100
STANDIN_HOST = "standin.slack.test"


@dataclass(frozen=True)
class RecordedCall:
    """One Web API call the stand-in answered: what was asked, when, and how it went.

    `throttled`: refused with 429 by the rate limits (not by a fault a test staged); the
    client retries it after Retry-After, so Slack never acted on this attempt.
    """

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    error: str | None = None
    throttled: bool = False


@dataclass(frozen=True)
class Failure:
    """An injected HTTP failure for the next call to one method."""

    status: int
    retry_after: int | None


class HttpReply(Exception):
    """Raised by a method handler to answer with a non-200 status or extra headers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = headers


@dataclass
class Workspace:
    """Everything a Slack workspace knows that the methods read and write."""

    team_id: str
    bot_user_id: str
    bot_id: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    reactions: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    pins: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    view_owner: dict[str, str] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)
    top_modal: str | None = None
    home: dict[str, str] = field(default_factory=dict)
    used_triggers: set[str] = field(default_factory=set)
    responses: list[dict[str, Any]] = field(default_factory=list)
    post_times: dict[str, list[float]] = field(default_factory=dict)
    # Accepted chat.postMessage calls that came within 1/rate_per_second of the channel's
    # previous post (a burst Slack let through); measured whether limits are on or off.
    rate_violations: int = 0
    rate_per_second: float = 1.0
    _ts_micros: int = TS_START_MICROS
    _serial: int = 0

    def next_ts(self) -> str:
        """A fresh message ts, strictly increasing, in Slack's `seconds.micros` form."""
        value = self._ts_micros
        self._ts_micros += TS_STEP_MICROS
        return f"{value // 1_000_000}.{value % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        """A fresh Slack-looking id such as `V00000001`."""
        self._serial += 1
        return f"{prefix}{self._serial:08d}"

    def channel(self, channel_id: str) -> dict[str, Any]:
        """The channel record, created on first use so tests need not declare every channel."""
        if channel_id not in self.channels:
            self.channels[channel_id] = make_channel(channel_id, channel_id.lower())
        return self.channels[channel_id]

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        """The stored message with this ts in this channel, or None."""
        for message in self.messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        return None

    def store_message(self, message: dict[str, Any]) -> None:
        """Append a message to its channel's history."""
        self.messages.setdefault(message["channel"], []).append(message)


@dataclass
class StandInState:
    """The workspace plus the call log, fault plan, rate limits and the lock over them all."""

    workspace: Workspace
    limiter: RateLimiter = field(default_factory=RateLimiter)
    calls: list[RecordedCall] = field(default_factory=list)
    failures: dict[str, deque[Failure]] = field(default_factory=dict)
    stalls: dict[str, deque[float]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def take_failure(self, method: str) -> Failure | None:
        """Pop the next injected failure for `method`, if any (call with the lock held)."""
        queue = self.failures.get(method)
        return queue.popleft() if queue else None

    def take_stall(self, method: str) -> float:
        """Pop the next injected delay for `method` in seconds (0 when none)."""
        with self.lock:
            queue = self.stalls.get(method)
            return queue.popleft() if queue else 0.0


def dm_channel_id(user_id: str) -> str:
    """The stand-in's id for the bot's direct-message channel with a user."""
    return f"D{user_id}"


def resolve_channel(channel_id: str) -> str:
    """Posting to a user id posts into the DM with that user, as Slack does."""
    if channel_id[:1] in ("U", "W"):
        return dm_channel_id(channel_id)
    return channel_id


def make_channel(
    channel_id: str,
    name: str,
    *,
    is_member: bool = True,
    is_private: bool = False,
    is_ext_shared: bool = False,
) -> dict[str, Any]:
    """A conversation object shaped like conversations.info's `channel`."""
    is_im = channel_id.startswith("D")
    return {
        "id": channel_id,
        "name": name,
        "is_channel": not is_im and not is_private,
        "is_group": is_private,
        "is_im": is_im,
        "is_private": is_private or is_im,
        "is_member": is_member,
        "is_archived": False,
        "is_ext_shared": is_ext_shared,
        "is_shared": is_ext_shared,
        "created": 1_600_000_000,
    }
