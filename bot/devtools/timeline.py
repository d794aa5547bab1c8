"""The demo's timeline: every message the app sends, printed as a person would read it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from bot.devtools.render import Renderer
from bot.devtools.standin_state import RecordedCall

# What a person sees; the rest (auth.test, users.info, permalinks) is plumbing.
SHOWN = {
    "chat.postMessage": "",
    "chat.postEphemeral": "(only visible to you) ",
    "response_url": "(only visible to you) ",
    "views.open": "(modal) ",
    "chat.update": "(root message updated) ",
}


class Timeline:
    """Prints people's actions and the app's messages with the simulated time."""

    def __init__(
        self,
        *,
        renderer: Renderer,
        now: Callable[[], Any],
        timezone: str,
        out: TextIO = sys.stdout,
        show_updates: bool = False,
    ) -> None:
        self.renderer = renderer
        self.now = now
        self.timezone = timezone
        self.out = out
        self.show_updates = show_updates
        self._lock = threading.Lock()
        self.lines: list[str] = []

    def person(self, who: str, what: str) -> None:
        """A person acts (typed by the demo script)."""
        self._emit(f"{self._stamp()}  {who}: {what}")

    def note(self, text: str) -> None:
        """A narrator line between scenes."""
        self._emit(f"\n== {text}")

    def on_call(self, call: RecordedCall) -> None:
        """Stand-in listener: show what the app said."""
        if call.method not in SHOWN or call.status != 200 or call.error:
            return
        if call.method == "chat.update" and not self.show_updates:
            return
        self._emit(self._format(call))

    def _format(self, call: RecordedCall) -> str:
        params = call.params
        if call.method == "views.open":
            body = self._view(params.get("view") or {})
            where = "modal"
        else:
            body = self.renderer.message(params)
            where = self._where(params)
        head = f"{self._stamp()}  {where:<22} Kustomer Support {SHOWN[call.method]}"
        indent = " " * 22
        lines = body.splitlines() or [""]
        return head + "\n" + "\n".join(indent + "│ " + line for line in lines)

    def _where(self, params: dict[str, Any]) -> str:
        channel = str(params.get("channel") or "")
        name = self.renderer.names.get(channel, channel)
        label = f"DM to {name.split()[0]}" if channel.startswith(("U", "D")) else f"#{name}"
        if not channel:
            label = "reply to command"
        return label + (" (thread)" if params.get("thread_ts") else "")

    def _view(self, view: dict[str, Any]) -> str:
        title = (view.get("title") or {}).get("text", "")
        labels = [(b.get("label") or {}).get("text") for b in view.get("blocks") or []]
        lines = [f"“{title}”: " + ", ".join(label for label in labels if label)]
        for block in view.get("blocks") or []:
            options = (block.get("element") or {}).get("options") or []
            if block.get("block_id") == "impact":
                lines += ["  ◦ " + o["text"]["text"] for o in options]
        return "\n".join(lines)

    def _stamp(self) -> str:
        return str(self.now().in_timezone(self.timezone).format("ddd HH:mm:ss zz"))

    def _emit(self, text: str) -> None:
        with self._lock:
            self.lines.append(text)
            print(text, file=self.out, flush=True)
