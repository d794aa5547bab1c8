"""Shared fixtures for the surface tests: a sample request, hostile text and limit checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pendulum

from bot.devtools.limits import check_message, check_view
from bot.domain.model import Request
from bot.slack.surfaces.blocks import Message
from tests.conftest import new_request

# Everything a customer could type to ping people or fake a link.
HOSTILE = (
    "<!channel> <!here> <!everyone> <!subteam^S1> <@UEVIL> <#CEVIL> "
    "Tom & Jerry <https://evil.example|click me>"
)
LIVE_TOKENS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S1>",
    "<@UEVIL>",
    "<#CEVIL>",
    "<https://evil.example",
    "Tom & Jerry",
)
NOW = pendulum.datetime(2025, 3, 10, 14, 0, tz="UTC")
# Words that go stale once posted: "in 45 min", "overdue by 5 min", "7 min left".
RELATIVE_TIME = re.compile(
    r"\b(in|overdue by|within) \d+ ?(s|sec|min|minutes?|h|hours?|d|days?)\b|\bleft\b|\bago\b",
    re.IGNORECASE,
)


def make_request(**overrides: Any) -> Request:
    """A stored-looking request (id 42, key KS-1042); override any column."""
    values: dict[str, Any] = {
        "id": 42,
        "team_id": "T1",
        "requester_id": "U0REQUESTER",
        "requester_name": "Rita Requester",
        "subject": "Inbox does not load",
        "description": "Since 9:00 the inbox shows a spinner for every agent.",
        "priority": "high",
        "intake_channel": "chat",
        "area": "email",
        "contact": "thread",
        "kind": "problem",
        "status": "new",
        "slack_channel_id": "C0SUPPORT",
        "thread_ts": "1700000000.000100",
        "created_at": NOW,
        "updated_at": NOW,
        "first_response_due_at": NOW.add(hours=1),
        "resolution_due_at": NOW.add(days=6),
    }
    values.update(overrides)
    return new_request(**values)


def serialised(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def assert_no_live_tokens(obj: Any) -> None:
    """No hostile token survives anywhere in the surface's JSON."""
    text = serialised(obj)
    for token in LIVE_TOKENS:
        assert token not in text, f"live token {token!r} in {text[:500]}"


def assert_no_relative_time(message: Message) -> None:
    """A posted message shows instants as date tokens only: nothing in it can go stale."""
    text = message.text + "\n" + all_text(message.blocks)
    found = RELATIVE_TIME.search(text)
    assert found is None, f"relative time {found.group(0)!r} in {text[:500]}"


def assert_valid_message(message: Message) -> None:
    assert message.text
    assert check_message(message.blocks, message.text) == []


def assert_valid_view(view: dict[str, Any]) -> None:
    assert check_view(view) == []


def walk(obj: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside `obj`, depth first."""
    if isinstance(obj, dict):
        yield obj
        for value in obj.values():
            yield from walk(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from walk(item)


def all_text(obj: Any) -> str:
    """The text of every text object in a surface, joined (what people read)."""
    return "\n".join(
        node["text"]
        for node in walk(obj)
        if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str)
    )


def block(blocks: list[dict[str, Any]], block_id: str) -> dict[str, Any]:
    # Some block ids carry a version suffix ("request_actions.v3"): match the stem.
    found = [b for b in blocks if str(b.get("block_id", "")).split(".v")[0] == block_id]
    assert len(found) == 1, f"expected one block {block_id!r}"
    return found[0]


def elements_by_action(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Interactive elements keyed by action_id."""
    return {
        node["action_id"]: node
        for node in walk(blocks)
        if "action_id" in node and node.get("type") != "input"
    }
