"""The demo's timeline: what people do and what the app shows them, scene by scene.

The app's side is read from the stand-in's call log when the script says a step has
settled, so every message is printed in the order Slack received it, under the step that
caused it, and never in the middle of another line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from pendulum import DateTime

from bot.devtools.render import Names, message_lines, modal_inputs, modal_lines, wrap
from bot.devtools.standin import RecordedCall, SlackStandIn

WIDTH = 109  # every line stays under 110 characters
STAMP = "ddd HH:mm"
BODY = " " * 11 + "│ "
APP = "Kustomer Support"
SHARED = " (shared, the customer's side)"  # a Slack Connect channel: another organisation sees it
_KEY = re.compile(r"^[A-Z][A-Z0-9]*-\d+\b")


class Timeline:
    """Prints people's actions and the app's messages, stamped with the desk's clock."""

    def __init__(
        self,
        *,
        standin: SlackStandIn,
        names: Names,
        timezone: str,
        now: Callable[[], DateTime],
        out: TextIO,
    ) -> None:
        self.standin = standin
        self.names = names
        self.timezone = timezone
        self.now = now
        self.out = out
        self.lines: list[str] = []
        self._cursor = len(standin.calls)
        self._actor = ""
        self._modals: dict[str, set[str]] = {}
        self._inputs: dict[str, list[str]] = {}
        self._roots: dict[str, list[str]] = {}

    def scene(self, title: str) -> None:
        """A scene's heading (everything the previous scene caused is printed first)."""
        self.flush()
        self._print("", *wrap(title, width=WIDTH, indent="== ", hanging="   "))

    def note(self, text: str) -> None:
        """A narrator's aside within a scene."""
        self.flush()
        self._print(*wrap(f"({text})", width=WIDTH, indent=" " * 11))

    def shell(self, command: str, *answer: str) -> None:
        """An operator's command line (continued with a backslash) and what it prints."""
        self.flush()
        lines = wrap(f"$ {command}", width=WIDTH - 2, indent=" " * 11, hanging="    ")
        self._print(*[line + " \\" for line in lines[:-1]], lines[-1])
        self._print(*[out for line in answer for out in wrap(line, width=WIDTH, indent=" " * 11)])

    def person(self, user_id: str, what: str) -> None:
        """A person acts; what the app answers is printed at the next flush."""
        self.flush()
        self._actor = self.names.users.get(user_id, user_id)
        said = f"{self._stamp()}  {self._actor} {what}".replace("\n", "\n" + " " * 13)
        self._print(*wrap(said, width=WIDTH, hanging=" " * 13))

    def flush(self) -> None:
        """Print what the app has shown people since the last flush, in arrival order."""
        calls = self.standin.calls
        fresh, self._cursor = calls[self._cursor :], len(calls)
        for call in fresh:
            if call.status == 200 and not call.error:
                self._show(call)

    def _show(self, call: RecordedCall) -> None:
        params = call.params
        if call.method == "views.open":
            head, body = self._modal(params.get("view") or {})
        elif call.method == "chat.update":
            head, body = self._update(params)
        elif call.method == "pins.add":
            head, body = self._pin(params), []
        elif call.method in ("chat.postMessage", "chat.postEphemeral", "response_url"):
            head, body = f"{APP} → {self._where(call)}", self._render(params)
            self._roots.setdefault(_headline(body), body)
        else:
            return
        if head:
            stamped = wrap(f"{self._stamp()}  {head}", width=WIDTH, hanging=" " * 13)
            self._print(*stamped, *self._body(body))

    def _where(self, call: RecordedCall) -> str:
        params = call.params
        if call.method == "response_url":
            return f"reply to the command, only visible to {self._actor}"
        place = self._place(str(params.get("channel") or ""), params.get("thread_ts"))
        if call.method == "chat.postEphemeral":
            place += f", only visible to {self.names.users.get(str(params.get('user')), '?')}"
        return place

    def _place(self, channel: str, thread: Any) -> str:
        """A DM, or a channel (a shared one marked as the customer's side), and the thread."""
        user = channel[1:] if channel.startswith("D") else channel
        if user in self.names.users:
            place = f"DM to {self.names.users[user]}"
        else:
            place = "#" + self.names.channels.get(channel, channel)
            if self.standin.is_ext_shared(channel):
                place += SHARED
        if thread:
            place += f", thread of {self._thread_title(channel, str(thread))}"
        return place

    def _thread_title(self, channel: str, ts: str) -> str:
        root = self.standin.message(channel, ts)
        headline = _headline(self._render(root or {}))
        key = _KEY.match(headline)
        if key:
            return key.group(0)
        return f"“{headline[:40]}…”" if len(headline) > 40 else f"“{headline}”"

    def _modal(self, view: Mapping[str, Any]) -> tuple[str, list[str]]:
        """A modal in full the first time; later only what was not shown before."""
        lines = modal_lines(view, names=self.names, timezone=self.timezone)
        title = lines[0]
        seen = set(self._modals.get(title, ()))
        self._modals.setdefault(title, set()).update(lines)
        inputs = self._inputs.setdefault(title, modal_inputs(view))
        if not seen:
            return f"{APP} → modal for {self._actor}", lines
        missing = [label for label in inputs if label not in modal_inputs(view)]
        new = [line for line in lines[1:] if line not in seen]
        if missing:
            new.insert(0, "without " + ", ".join(missing))
        if not new:
            return "", []
        return f"{APP} → modal for {self._actor}, {title} as above", new

    def _update(self, params: Mapping[str, Any]) -> tuple[str, list[str]]:
        """An edited message: only the parts that changed since it was last shown (in a shared
        channel, all of it: what the customer reads now)."""
        lines = self._render(params)
        headline = _headline(lines)
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        if self.standin.is_ext_shared(channel):
            self._roots[headline] = lines
            thread = (self.standin.message(channel, ts) or {}).get("thread_ts")
            return f"{APP} edits its message in {self._place(channel, thread)}, now:", lines
        before = {part for line in self._roots.get(headline, []) for part in line.split(" · ")}
        self._roots[headline] = lines
        changed = [
            part
            for line in lines[1:]
            if not line.startswith("[")
            for part in line.split(" · ")
            if part not in before
        ]
        if not changed:
            return "", []
        return f"{APP} updates {headline.split(' · ')[0]}: " + " · ".join(changed), []

    def _pin(self, params: Mapping[str, Any]) -> str:
        channel = str(params.get("channel") or "")
        pinned = self._thread_title(channel, str(params.get("timestamp") or ""))
        return f"{APP} pins {pinned} in {self._place(channel, None)}"

    def _render(self, params: Mapping[str, Any]) -> list[str]:
        return message_lines(params, names=self.names, timezone=self.timezone)

    def _body(self, lines: list[str]) -> list[str]:
        return [out for line in lines for out in wrap(line, width=WIDTH, indent=BODY)]

    def _stamp(self) -> str:
        return str(self.now().in_timezone(self.timezone).format(STAMP))

    def _print(self, *lines: str) -> None:
        for line in lines:
            self.lines.append(line)
            print(line, file=self.out, flush=True)


def _headline(lines: list[str]) -> str:
    return next((line for line in lines if line.strip()), "")
