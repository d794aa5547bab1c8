"""Small helpers shared by the stand-in's method handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.devtools.standin_state import Workspace

Params = dict[str, Any]
Handler = Callable[[Workspace, Params], dict[str, Any]]


def ok(**fields: Any) -> dict[str, Any]:
    """A successful Slack response."""
    return {"ok": True, **fields}


def error(code: str, **extra: Any) -> dict[str, Any]:
    """A failed Slack response, answered with HTTP 200 as Slack does."""
    return {"ok": False, "error": code, **extra}


def invalid_arguments(*messages: str) -> dict[str, Any]:
    """Slack's answer to a malformed argument, with its `[ERROR] ...` message list."""
    return error(
        "invalid_arguments",
        response_metadata={"messages": [f"[ERROR] {message}" for message in messages]},
    )


def text_param(params: Params, key: str) -> str | None:
    """A parameter as a string (Slack accepts numbers for ts values), or None when absent."""
    value = params.get(key)
    if value is None or value == "":
        return None
    return str(value)


def flag(params: Params, key: str) -> bool:
    """A boolean parameter, accepting JSON booleans and form strings like `true` / `1`."""
    value = params.get(key)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)
