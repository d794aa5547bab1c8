"""Block Kit to plain text, as a person would read it in Slack (for the demo's timeline)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pendulum

_DATE = re.compile(r"<!date\^(\d+)\^[^|>]*(?:\|[^>]*)?>")
_USER = re.compile(r"<@([A-Z0-9_]+)(?:\|[^>]*)?>")
_GROUP = re.compile(r"<!subteam\^([A-Z0-9_]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([A-Z0-9_]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?://|mailto:)[^|>]+)(?:\|([^>]*))?>")


class Renderer:
    """Turns Slack markup into readable text: names for ids, local times for date tokens."""

    def __init__(self, *, names: Mapping[str, str], timezone: str) -> None:
        self.names = names
        self.timezone = timezone

    def text(self, markup: str) -> str:
        """Slack mrkdwn → plain text."""
        out = _DATE.sub(lambda m: self._local(int(m.group(1))), markup)
        out = _USER.sub(lambda m: "@" + self.names.get(m.group(1), m.group(1)), out)
        out = _GROUP.sub(lambda m: "@" + self.names.get(m.group(1), m.group(1)), out)
        out = _CHANNEL.sub(lambda m: "#" + self.names.get(m.group(1), m.group(1)), out)
        out = _LINK.sub(lambda m: m.group(2) or m.group(1), out)
        return out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def message(self, params: Mapping[str, Any]) -> str:
        """A message's blocks (or its text) as lines."""
        blocks = params.get("blocks") or []
        if not blocks:
            return self.text(str(params.get("text") or ""))
        lines = [line for block in blocks for line in self._block(block)]
        return "\n".join(line for line in lines if line.strip())

    def _block(self, block: Mapping[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind in ("header", "section"):
            fields = [
                self._obj(f).replace("*", "").replace("\n", ": ", 1)
                for f in block.get("fields") or []
            ]
            return [self._obj(block.get("text")), " · ".join(fields)]
        if kind == "context":
            return ["  " + " · ".join(self._obj(e) for e in block.get("elements") or [])]
        if kind == "actions":
            labels = [self._element(e) for e in block.get("elements") or []]
            return ["  " + " ".join(f"[{label}]" for label in labels if label)]
        return []

    def _element(self, element: Mapping[str, Any]) -> str:
        if element.get("type") == "button":
            return self._obj(element.get("text"))
        return self._obj(element.get("placeholder")) + " ▾"

    def _obj(self, obj: Any) -> str:
        if not isinstance(obj, Mapping):
            return ""
        return self.text(str(obj.get("text") or ""))

    def _local(self, epoch: int) -> str:
        return pendulum.from_timestamp(epoch, tz=self.timezone).format("ddd HH:mm zz")
