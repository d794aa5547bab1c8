"""Slack markup and Block Kit as plain text a person can read (for the demo's timeline).

Pure functions: the names of people, groups and channels come in as a `Names`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

# The emoji codes the app writes, as the characters Slack shows; any other code is dropped.
EMOJI = {
    "arrow_up": "⬆",
    "busts_in_silhouette": "👥",
    "hourglass_flowing_sand": "⏳",
    "inbox_tray": "📥",
    "large_green_circle": "🟢",
    "raising_hand": "🙋",
    "red_circle": "🔴",
    "rotating_light": "🚨",
    "speech_balloon": "💬",
    "warning": "⚠",
    "white_check_mark": "✅",
}

_TOKEN = re.compile(r"<([^<>]*)>")
_DATE = re.compile(r"!date\^(\d+)\^([^|]*)(?:\|(.*))?")
_DATE_PART = re.compile(r"\{(date\w*|time_secs|time|ago)\}")
_EMOJI = re.compile(r":([a-z0-9_+-]*[a-z][a-z0-9_+-]*):")
# *bold*, _italic_, ~strike~ and `code`: the marks must hug the text and stand apart from words.
_EMPHASIS = [
    re.compile(rf"(?<![\w{mark}]){mark}(?=\S)([^{mark}\n]*?\S){mark}(?![\w{mark}])")
    for mark in (r"\*", "_", "~")
]
_CODE = re.compile(r"`{1,3}([^`]*)`{1,3}")
_SPACES = re.compile(r"[ \t]{2,}")
_OPTION = ("text", "description")


@dataclass(frozen=True)
class Names:
    """What people, user groups and channels are called in the workspace, by id."""

    users: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)


def to_text(markup: str, *, names: Names, timezone: str) -> str:
    """Slack mrkdwn → plain text: names for ids, local times for dates, no marks or emoji codes."""
    out = _TOKEN.sub(lambda m: _token(m.group(1), names, timezone), markup)
    out = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), ""), out)
    for pattern in _EMPHASIS:
        out = pattern.sub(r"\1", out)
    out = _CODE.sub(r"\1", out)
    out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in out.split("\n"))


def _token(inner: str, names: Names, timezone: str) -> str:
    """One <…> token: a mention, a channel, a group, a date or a link."""
    target, _, label = inner.partition("|")
    if inner.startswith("!date^"):
        return _date(inner, timezone)
    if target.startswith("@"):
        return "@" + names.users.get(target[1:], label or target[1:])
    if target.startswith("#"):
        return "#" + names.channels.get(target[1:], label or target[1:])
    if target.startswith("!subteam^"):
        group = target.removeprefix("!subteam^")
        return "@" + names.groups.get(group, label.lstrip("@") or group)
    if target.startswith("!"):
        return "@" + (label or target[1:])
    return label or target.removeprefix("mailto:")


def _date(inner: str, timezone: str) -> str:
    """<!date^epoch^{date_short_pretty} at {time}|fallback> in the desk's timezone."""
    match = _DATE.fullmatch(inner)
    if match is None:
        return inner
    local = pendulum.from_timestamp(int(match.group(1)), tz=timezone)

    def part(found: re.Match[str]) -> str:
        name = found.group(1)
        if name == "time":
            return str(local.format("HH:mm"))
        if name == "time_secs":
            return str(local.format("HH:mm:ss"))
        return str(local.format("ddd D MMM"))

    return _DATE_PART.sub(part, match.group(2))


def wrap(text: str, *, width: int, indent: str = "", hanging: str = "  ") -> list[str]:
    """Lines of `text` cut at spaces to fit `width`, each prefixed; continuations hang further."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append(indent.rstrip())
            continue
        inner = paragraph[: len(paragraph) - len(paragraph.lstrip())]
        lines += textwrap.wrap(
            paragraph.strip(),
            width=width,
            initial_indent=indent + inner,
            subsequent_indent=indent + inner + hanging,
            break_on_hyphens=False,
        )
    return lines


def message_lines(params: Mapping[str, Any], *, names: Names, timezone: str) -> list[str]:
    """A message's blocks (or its text when it has none) as readable lines."""
    blocks = params.get("blocks") or []
    if not blocks:
        return to_text(str(params.get("text") or ""), names=names, timezone=timezone).split("\n")
    lines = [line for block in blocks for line in _block(block, names, timezone)]
    return [line for line in lines if line.strip()]


def _block(block: Mapping[str, Any], names: Names, timezone: str) -> list[str]:
    def text(obj: Any) -> str:
        return _object_text(obj, names, timezone)

    kind = block.get("type")
    if kind in ("header", "section"):
        fields = [
            text(f).replace("\n", ": ", 1).replace("\n", ", ") for f in block.get("fields") or []
        ]
        return [*text(block.get("text")).split("\n"), " · ".join(fields)]
    if kind == "context":
        return [" · ".join(text(element) for element in block.get("elements") or [])]
    if kind == "actions":
        labels = [_control(element, names, timezone) for element in block.get("elements") or []]
        return [" ".join(f"[{label}]" for label in labels if label)]
    if kind == "input":
        return _input(block, names, timezone)
    return []


def _input(block: Mapping[str, Any], names: Names, timezone: str) -> list[str]:
    """A modal's input: its label and value, its choices, and its hint."""

    def text(obj: Any) -> str:
        return _object_text(obj, names, timezone)

    element = block.get("element") or {}
    label = text(block.get("label")) + (" (optional)" if block.get("optional") else "")
    typed = element.get("initial_value")
    shown = f"“{typed}”" if typed else text(element.get("placeholder"))
    chosen = [o.get("value") for o in element.get("initial_options") or []]
    chosen.append((element.get("initial_option") or {}).get("value"))
    options = [
        ("• " if o.get("value") in chosen else "◦ ")
        + " · ".join(filter(None, (text(o.get(key)) for key in _OPTION)))
        for o in element.get("options") or []
    ]
    hint = [f"  {text(block.get('hint'))}"] if block.get("hint") else []
    if str(element.get("type", "")).endswith("select"):  # a menu: its options on one line
        return [f"{label}: {shown} ▾ " + ", ".join(o[2:] for o in options), *hint]
    return [f"{label}: {shown}" if shown else label, *("  " + o for o in options), *hint]


def modal_lines(view: Mapping[str, Any], *, names: Names, timezone: str) -> list[str]:
    """A modal as a person reads it: title, every block, and its buttons."""
    title = _object_text(view.get("title"), names, timezone)
    body = [line for block in view.get("blocks") or [] for line in _block(block, names, timezone)]
    buttons = [_object_text(view.get(key), names, timezone) for key in ("submit", "close")]
    return [f"“{title}”", *body, " ".join(f"[{b}]" for b in buttons if b)]


def modal_inputs(view: Mapping[str, Any]) -> list[str]:
    """The labels of a modal's inputs (what a person fills in), in order."""
    labels = [(block.get("label") or {}).get("text") for block in view.get("blocks") or []]
    return [str(label) for label in labels if label]


def _control(element: Mapping[str, Any], names: Names, timezone: str) -> str:
    if element.get("type") == "button":
        return _object_text(element.get("text"), names, timezone)
    return _object_text(element.get("placeholder"), names, timezone) + " ▾"


def _object_text(obj: Any, names: Names, timezone: str) -> str:
    """A text object (plain or mrkdwn) as text; anything else as nothing."""
    if not isinstance(obj, Mapping):
        return ""
    if obj.get("type") == "plain_text":  # shown as typed: only emoji codes turn into emoji
        return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), ""), str(obj.get("text") or "")).strip()
    return to_text(str(obj.get("text") or ""), names=names, timezone=timezone)


def fit_table(lines: Sequence[str], *, width: int) -> list[str]:
    """A space-aligned table wider than `width` as narrower tables that repeat its first column."""
    span = max((len(line) for line in lines), default=0)
    if span <= width:
        return list(lines)
    padded = [line.ljust(span) for line in lines]
    blank = "".join(" " if all(row[i] == " " for row in padded) else "x" for i in range(span))
    # Columns are separated by two or more spaces in every row; each keeps the gap before it.
    cuts = [m.end() for m in re.finditer(r" {2,}", blank)]
    slices = list(zip([0, *cuts], [*cuts, span], strict=True))
    chunks: list[list[tuple[int, int]]] = [[]]
    for start, end in slices[1:]:
        used = sum(e - s for s, e in [slices[0], *chunks[-1]])
        if chunks[-1] and used + end - start > width:
            chunks.append([])
        chunks[-1].append((start, end))
    tables = [
        [(row[slice(*slices[0])] + "".join(row[s:e] for s, e in chunk)).rstrip() for row in padded]
        for chunk in chunks
    ]
    return [line for i, table in enumerate(tables) for line in ([""] if i else []) + table]
