"""Slack's failures, classified for the services: retry later, wait Retry-After, or give up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.ports import DeliveryFailed

PERMANENT_ERRORS = frozenset({"channel_not_found", "is_archived", "not_in_channel", "invalid_auth"})
SLACK_ERRORS = (SlackApiError, SlackClientError, OSError)

P = ParamSpec("P")
T = TypeVar("T")


def classify(error: Exception) -> DeliveryFailed:
    """The port's failure for whatever Slack (or the network) raised."""
    code, retry_after = "", None
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
        if error.response.status_code == 429:
            retry_after = retry_after_seconds(error.response.headers)
    return DeliveryFailed(
        f"{type(error).__name__}: {code or error}",
        permanent=code in PERMANENT_ERRORS,
        retry_after=retry_after,
    )


@contextmanager
def as_delivery_failures() -> Iterator[None]:
    """Turn Slack's exceptions raised inside the block into `DeliveryFailed`."""
    try:
        yield
    except SLACK_ERRORS as error:
        raise classify(error) from error


def delivering(call: Callable[P, T]) -> Callable[P, T]:
    """Decorate a port method so Slack's exceptions leave it as `DeliveryFailed`."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with as_delivery_failures():
            return call(*args, **kwargs)

    wrapper.__doc__ = call.__doc__
    wrapper.__name__ = call.__name__
    return wrapper


def retry_after_seconds(headers: dict[str, object]) -> float:
    """Slack's Retry-After in seconds (header names vary in case; values may be lists)."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list) and value else value
            try:
                return float(str(first))
            except ValueError:
                break
    return 1.0
