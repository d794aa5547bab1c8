"""Shared pieces of the Block Kit limit checks: the error collector and text objects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

TEXT_TYPES = ("plain_text", "mrkdwn")


@dataclass
class Checker:
    """Collects Slack-style errors, each tagged with the JSON pointer of the offender."""

    errors: list[str] = field(default_factory=list)
    block_ids: set[str] = field(default_factory=set)

    def add(self, path: str, message: str) -> None:
        """Record one error at `path`, in the shape Slack uses in its error lists."""
        self.errors.append(f"{message} [json-pointer:{path}]")

    def max_len(self, value: object, path: str, limit: int, *, min_len: int = 0) -> None:
        """Check that a string (if present) has between `min_len` and `limit` characters."""
        if value is None:
            return
        if not isinstance(value, str):
            self.add(path, "must be a string")
            return
        if len(value) > limit:
            self.add(path, f"must be at most {limit} characters (got {len(value)})")
        elif len(value) < min_len:
            self.add(path, f"must be at least {min_len} characters (got {len(value)})")

    def id_field(self, obj: dict[str, Any], key: str, path: str) -> None:
        """Check a block_id / action_id / callback_id-like identifier (≤ 255 characters)."""
        self.max_len(obj.get(key), f"{path}/{key}", 255, min_len=1)

    def items(self, obj: dict[str, Any], key: str, path: str, *, lo: int, hi: int) -> list[Any]:
        """Return obj[key] as a list after checking it holds between lo and hi items."""
        value = obj.get(key)
        if not isinstance(value, list):
            self.add(f"{path}/{key}", "must be an array")
            return []
        if len(value) > hi:
            self.add(f"{path}/{key}", f"must have at most {hi} items (got {len(value)})")
        elif len(value) < lo:
            self.add(f"{path}/{key}", f"must have at least {lo} items (got {len(value)})")
        return value

    def required(self, obj: dict[str, Any], key: str, path: str) -> bool:
        """Report a missing required property; return whether it is there."""
        if obj.get(key) is None:
            self.add(f"{path}/{key}", "missing required field")
            return False
        return True


def enumerate_dicts(
    items: list[Any], path: str, chk: Checker
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (pointer, item) for each item that is an object; report the ones that are not."""
    for index, item in enumerate(items):
        item_path = f"{path}/{index}"
        if isinstance(item, dict):
            yield item_path, item
        else:
            chk.add(item_path, "must be an object")


def check_text(
    chk: Checker,
    obj: object,
    path: str,
    *,
    limit: int,
    plain_only: bool = False,
    required: bool = True,
) -> None:
    """Check a composition text object: its type, its length and the type-specific flags."""
    if obj is None:
        if required:
            chk.add(path, "missing required field")
        return
    if not isinstance(obj, dict):
        chk.add(path, "must be a text object")
        return
    kind = obj.get("type")
    if kind not in TEXT_TYPES:
        chk.add(f"{path}/type", "must be one of plain_text, mrkdwn")
        return
    if plain_only and kind != "plain_text":
        chk.add(f"{path}/type", "must be plain_text")
    if kind == "mrkdwn" and "emoji" in obj:
        chk.add(f"{path}/emoji", "invalid additional property: emoji")
    if kind == "plain_text" and "verbatim" in obj:
        chk.add(f"{path}/verbatim", "invalid additional property: verbatim")
    if not isinstance(obj.get("text"), str):
        chk.add(f"{path}/text", "missing required field")
        return
    chk.max_len(obj["text"], f"{path}/text", limit, min_len=1)


def check_confirm(chk: Checker, obj: object, path: str) -> None:
    """Check a confirmation dialog object."""
    if obj is None:
        return
    if not isinstance(obj, dict):
        chk.add(path, "must be an object")
        return
    check_text(chk, obj.get("title"), f"{path}/title", limit=100, plain_only=True)
    check_text(chk, obj.get("text"), f"{path}/text", limit=300)
    check_text(chk, obj.get("confirm"), f"{path}/confirm", limit=30, plain_only=True)
    check_text(chk, obj.get("deny"), f"{path}/deny", limit=30, plain_only=True)
    if obj.get("style") not in (None, "primary", "danger"):
        chk.add(f"{path}/style", "must be one of primary, danger")
