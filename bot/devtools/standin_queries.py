"""Read-side of the stand-in: what tests ask about calls, messages and views."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from bot.devtools.standin_state import RecordedCall, StandInState, resolve_channel

CallPredicate = Callable[[RecordedCall], bool]


class StandInQueries:
    """Thread-safe snapshots of the stand-in's state; every result is a private copy."""

    def __init__(self, state: StandInState) -> None:
        self._state = state

    # Calls

    @property
    def calls(self) -> list[RecordedCall]:
        """Every call answered so far, in order (failed, injected-fault and throttled ones)."""
        with self._state.lock:
            return list(self._state.calls)

    def calls_to(self, method: str, *, throttled: bool = False) -> list[RecordedCall]:
        """The calls made to one method, in order.

        Attempts the rate limits refused (the client retries them after Retry-After) are left
        out unless `throttled`: what is left is what the app got Slack to act on, or to fail
        on. `rate_limited()` counts the refusals.
        """
        return [
            call
            for call in self.calls
            if call.method == method and (throttled or not call.throttled)
        ]

    def stalls_left(self, method: str) -> int:
        """Stalls staged by `stall_next` no call has taken yet (a call takes one on arrival)."""
        with self._state.lock:
            return len(self._state.stalls.get(method, ()))

    def clear_calls(self) -> None:
        """Forget the recorded calls (the workspace state stays)."""
        with self._state.lock:
            self._state.calls.clear()

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: CallPredicate | None = None,
    ) -> list[RecordedCall]:
        """Block until `count` calls to `method` (matching `predicate`) were answered.

        As in `calls_to`, attempts the rate limits refused do not count: their retry does.
        """
        deadline = time.monotonic() + timeout
        with self._state.changed:
            while True:
                matching = [
                    call
                    for call in self._state.calls
                    if call.method == method
                    and not call.throttled
                    and (predicate is None or predicate(call))
                ]
                remaining = deadline - time.monotonic()
                if len(matching) >= count or remaining <= 0:
                    break
                self._state.changed.wait(remaining)
            seen = [call.method for call in self._state.calls]
        if len(matching) < count:
            raise AssertionError(
                f"expected {count} matching call(s) to {method} within {timeout}s, "
                f"got {len(matching)}; calls so far: {seen}"
            )
        return matching

    # Messages

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """All stored messages of a channel (top-level and replies), in posting order."""
        with self._state.lock:
            stored = self._state.workspace.messages.get(resolve_channel(channel), [])
            return copy.deepcopy(stored)

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """A thread's parent followed by its replies."""
        return [
            message
            for message in self.messages(channel)
            if message["ts"] == thread_ts or message.get("thread_ts") == thread_ts
        ]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One stored message by ts, or None."""
        return next((m for m in self.messages(channel) if m["ts"] == ts), None)

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        """Ephemeral messages, optionally only those in a channel and/or for a user."""
        wanted = resolve_channel(channel) if channel else None
        with self._state.lock:
            found = copy.deepcopy(self._state.workspace.ephemerals)
        return [e for e in found if wanted in (None, e["channel"]) and user in (None, e["user"])]

    def responses(self) -> list[dict[str, Any]]:
        """Payloads POSTed to the stand-in's response_urls, each with its `url` path."""
        with self._state.lock:
            return copy.deepcopy(self._state.workspace.responses)

    def reactions(self, channel: str, ts: str) -> list[str]:
        """Emoji names the bot added to a message."""
        with self._state.lock:
            found = self._state.workspace.reactions.get((resolve_channel(channel), ts), [])
            return [reaction["name"] for reaction in found]

    # Views

    def views_opened(self) -> list[dict[str, Any]]:
        """Modals opened with views.open, in order, each in its current version."""
        return self._views(self._state.workspace.opened)

    def views_pushed(self) -> list[dict[str, Any]]:
        """Modals pushed with views.push, in order."""
        return self._views(self._state.workspace.pushed)

    def view(self, view_id: str) -> dict[str, Any] | None:
        """The current version of a view (after any views.update), or None."""
        with self._state.lock:
            found = self._state.workspace.views.get(view_id)
            return copy.deepcopy(found) if found else None

    def published_home(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for a user, or None."""
        with self._state.lock:
            view_id = self._state.workspace.home.get(user_id)
        return self.view(view_id) if view_id else None

    def _views(self, ids: list[str]) -> list[dict[str, Any]]:
        with self._state.lock:
            return [copy.deepcopy(self._state.workspace.views[i]) for i in list(ids)]

    # Rate

    def post_times(self, channel: str) -> list[float]:
        """time.monotonic() instants of the accepted chat.postMessage calls to a channel."""
        with self._state.lock:
            return list(self._state.workspace.post_times.get(resolve_channel(channel), []))

    @property
    def rate_violations(self) -> int:
        """chat.postMessage calls sooner than the per-channel rate: bursts let through + 429s."""
        with self._state.lock:
            limited = self._state.limiter.limited["chat.postMessage"]
            return self._state.workspace.rate_violations + limited
