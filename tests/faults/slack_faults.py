"""Slack outages staged on the stand-in: every Web API method (and response_url) failing."""

from __future__ import annotations

from bot.devtools.standin import SlackStandIn
from bot.devtools.standin_http import METHODS, RESPONSE_URL_METHOD

# More failures than any test makes calls: the outage lasts until `end_outage`.
_UNTIL_RECOVERED = 100_000


def begin_outage(standin: SlackStandIn, *, status: int = 500) -> None:
    """From now on every method answers HTTP `status`, until `end_outage`."""
    for method in [*METHODS, RESPONSE_URL_METHOD]:
        standin.fail_next(method, status=status, count=_UNTIL_RECOVERED)


def end_outage(standin: SlackStandIn) -> None:
    """Slack is back: every method answers normally again."""
    for method in [*METHODS, RESPONSE_URL_METHOD]:
        standin.recover(method)
