"""Slack's Web API rate limits as the stand-in enforces them: token buckets, 429 + Retry-After.

What Slack documents (https://api.slack.com/docs/rate-limits, and each method's reference
page for its tier), applied "per API method per app per workspace":

- Tier 1: 1+ per minute, "a small amount of burst behavior is tolerated";
- Tier 2: 20+ per minute, "occasional bursts of more requests";
- Tier 3: 50+ per minute, "sporadic bursts are welcome";
- Tier 4: 100+ per minute, "generous burst behavior";
- Special: chat.postMessage "generally allows posting one message per second per
  channel" ("short bursts >1 allowed"), and its reference page adds "There are limits
  governing your app's relationship with the entire workspace above that, limiting posting
  to several hundred messages per minute. Generous burst behavior is also granted."
  (https://api.slack.com/methods/chat.postMessage, "Rate limiting"); auth.test and
  chat.getPermalink allow far more than the tiers.

Each limit is a token bucket: it refills at the documented per-minute rate and holds at most
`burst` tokens, so a quiet method can take a modest burst at once and then keeps to the rate.
A chat.postMessage call needs a token of its channel's bucket and one of the workspace's
(every channel and DM together). A call that finds a bucket empty is answered HTTP 429 with
`Retry-After` (whole seconds until every bucket it needs has a token, at least 1) and takes
no token.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.devtools.standin_state import StandInState


@dataclass(frozen=True)
class Limit:
    """`per_minute` calls a minute on average, at most `burst` at once; per channel or not."""

    per_minute: float
    burst: int
    per_channel: bool = False

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


TIER_1 = Limit(per_minute=1, burst=2)
TIER_2 = Limit(per_minute=20, burst=5)
TIER_3 = Limit(per_minute=50, burst=10)
TIER_4 = Limit(per_minute=100, burst=20)
# chat.postMessage: one message per second per channel, a burst of a few.
POST_MESSAGE = Limit(per_minute=60, burst=3, per_channel=True)
# chat.postMessage across the workspace: "several hundred messages per minute", at its
# lowest reading, with a generous burst (a third of a minute's worth at once).
WORKSPACE_POSTS = Limit(per_minute=300, burst=100)
# auth.test, chat.getPermalink: "special", far above the tiers (clients budget 100 a second).
GENEROUS = Limit(per_minute=6000, burst=100)

# The tier of every method the stand-in answers (methods not listed are not limited).
SLACK_LIMITS: Mapping[str, Limit] = {
    "api.test": TIER_4,
    "auth.test": GENEROUS,
    "bots.info": TIER_3,
    "chat.delete": TIER_3,
    "chat.getPermalink": GENEROUS,
    "chat.postEphemeral": TIER_4,
    "chat.postMessage": POST_MESSAGE,
    "chat.update": TIER_3,
    "conversations.history": TIER_3,
    "conversations.info": TIER_3,
    "conversations.join": TIER_3,
    "conversations.open": TIER_3,
    "conversations.replies": TIER_3,
    "reactions.add": TIER_3,
    "usergroups.list": TIER_2,
    "usergroups.users.list": TIER_2,
    "users.info": TIER_4,
    "users.lookupByEmail": TIER_3,
    "views.open": TIER_4,
    "views.publish": TIER_4,
    "views.push": TIER_4,
    "views.update": TIER_4,
}
# Limits shared by every channel of the workspace, on top of a method's own.
WORKSPACE_KEY = "*workspace*"  # the shared bucket's key: no channel id has a `*`
WORKSPACE_LIMITS: Mapping[str, Limit] = {"chat.postMessage": WORKSPACE_POSTS}


class Bucket:
    """Tokens for one method (and channel): refilled continuously, capped at the burst."""

    def __init__(self, limit: Limit, now: float) -> None:
        self.tokens = float(limit.burst)
        self.stamp = now

    def wait(self, limit: Limit, now: float) -> float:
        """Refill up to now; 0.0 when a token is there, else seconds until one is."""
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(float(limit.burst), self.tokens + elapsed * limit.per_second)
        self.stamp = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / limit.per_second

    def take(self, limit: Limit, now: float) -> float:
        """Take a token (0.0), or say how many seconds until one is there (nothing taken)."""
        wait = self.wait(limit, now)
        if wait <= 0.0:
            self.tokens -= 1.0
        return wait


class RateLimiter:
    """Counts the calls per method and refuses those over Slack's limits (when enabled)."""

    def __init__(
        self,
        *,
        enabled: bool = True,
        limits: Mapping[str, Limit] = SLACK_LIMITS,
        workspace_limits: Mapping[str, Limit] = WORKSPACE_LIMITS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.limits: dict[str, Limit] = dict(limits)
        self.workspace_limits: dict[str, Limit] = dict(workspace_limits)
        self._now = now
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self.calls: Counter[str] = Counter()  # every call that reached the stand-in
        self.limited: Counter[str] = Counter()  # the calls the limits answered with 429

    def count_call(self, method: str) -> None:
        """One more call reached the stand-in (whatever its answer)."""
        self.calls[method] += 1

    def admit(self, method: str, *, channel: str = "") -> int | None:
        """None when this call may go ahead, else its Retry-After in seconds (counted)."""
        if not self.enabled:
            return None
        now = self._now()
        needed = self._buckets_for(method, channel, now)
        wait = max((bucket.wait(limit, now) for bucket, limit in needed), default=0.0)
        if wait <= 0.0:
            for bucket, limit in needed:
                bucket.take(limit, now)
            return None
        self.limited[method] += 1
        return max(1, math.ceil(round(wait, 6)))  # 2.0000000000000004 s is 2 s

    def _buckets_for(self, method: str, channel: str, now: float) -> list[tuple[Bucket, Limit]]:
        """The buckets a call must find a token in: its method's (or channel's), the workspace's."""
        needed: list[tuple[Bucket, Limit]] = []
        if (limit := self.limits.get(method)) is not None:
            key = (method, channel if limit.per_channel else "")
            needed.append((self._bucket(key, limit, now), limit))
        if (shared := self.workspace_limits.get(method)) is not None:
            needed.append((self._bucket((method, WORKSPACE_KEY), shared, now), shared))
        return needed

    def _bucket(self, key: tuple[str, str], limit: Limit, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(limit, now)
        return bucket

    def set_limit(self, method: str, limit: Limit | None, *, workspace: bool = False) -> None:
        """Give `method` another limit (None: no limit); its buckets start full again.

        `workspace`: the limit shared by every channel (chat.postMessage's), not its own.
        """
        limits = self.workspace_limits if workspace else self.limits
        if limit is None:
            limits.pop(method, None)
        else:
            limits[method] = limit
        self._buckets = {key: b for key, b in self._buckets.items() if key[0] != method}

    def set_enabled(self, enabled: bool) -> None:
        """Turn enforcement on or off; turning it on starts every bucket full."""
        if enabled and not self.enabled:
            self._buckets.clear()
        self.enabled = enabled


def _count(counter: Counter[str], method: str | None) -> int:
    return counter[method] if method is not None else sum(counter.values())


class RateLimitControls:
    """The stand-in's rate-limit switches and counters (mixed into `SlackStandIn`)."""

    _state: StandInState

    def set_rate_limits(self, enabled: bool) -> None:
        """Enforce Slack's rate limits (the default) or answer every call at once."""
        with self._state.lock:
            self._state.limiter.set_enabled(enabled)

    @property
    def rate_limits_enabled(self) -> bool:
        with self._state.lock:
            return self._state.limiter.enabled

    def set_rate_limit(self, method: str, limit: Limit | None) -> None:
        """Replace one method's limit (None: not limited), e.g. to stage a stricter Slack."""
        with self._state.lock:
            self._state.limiter.set_limit(method, limit)

    def set_workspace_limit(self, method: str, limit: Limit | None) -> None:
        """Replace the workspace-wide limit of a method (chat.postMessage; None: none)."""
        with self._state.lock:
            self._state.limiter.set_limit(method, limit, workspace=True)

    def enforce_rate(self, per_channel_per_second: float | None = 1.0) -> None:
        """Strict per-channel chat.postMessage pacing (no burst) with limits on; None: all off.

        Kept for older tests; `set_rate_limit("chat.postMessage", Limit(...))` says more.
        """
        with self._state.lock:
            limiter = self._state.limiter
            if per_channel_per_second is None:
                limiter.set_enabled(False)
                return
            strict = Limit(per_minute=60 * per_channel_per_second, burst=1, per_channel=True)
            limiter.set_limit("chat.postMessage", strict)
            limiter.set_enabled(True)
            self._state.workspace.rate_per_second = per_channel_per_second

    def rate_limited(self, method: str | None = None) -> int:
        """How many calls (to `method`, or to any) the rate limits answered with 429."""
        with self._state.lock:
            return _count(self._state.limiter.limited, method)

    def call_count(self, method: str | None = None) -> int:
        """How many calls (to `method`, or to any) reached the stand-in, 429s included."""
        with self._state.lock:
            return _count(self._state.limiter.calls, method)

    def rate_report(self) -> dict[str, tuple[int, int]]:
        """Per method: (calls, of which answered 429 by the rate limits)."""
        with self._state.lock:
            limiter = self._state.limiter
            return {method: (n, limiter.limited[method]) for method, n in limiter.calls.items()}
