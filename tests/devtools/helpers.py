"""Helpers shared by the stand-in tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slack_sdk.errors import SlackApiError


def api_error(call: Callable[[], object]) -> str:
    """Run a WebClient call that must fail and return Slack's error code."""
    with pytest.raises(SlackApiError) as failure:
        call()
    return str(failure.value.response["error"])
