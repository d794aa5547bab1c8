"""Start-up shared by `run` and `worker`: settings, logging, a word with Slack, then the bot.

Slack and the web stack are imported late: the other commands start without them.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.error import URLError

from bot.config import SLACK_RUNTIME_SETTINGS, Settings, load_settings
from bot.db.migrate import SchemaError
from bot.logs import setup_logging

if TYPE_CHECKING:
    from bot.runtime import Runtime

# The exit code of a start-up the operator must fix (settings, schema, Slack), as for ConfigError.
SETUP_ERROR = 2

# Variables Bolt reads by itself when they are in the environment, behind the settings' back:
# SLACK_BOT_TOKEN beside our client draws a misleading warning, SLACK_CLIENT_ID/SECRET would
# switch it to multi-workspace OAuth. Once the settings are read, only they hold these values.
BOLT_ENVIRONMENT = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
)

# Answers of Slack that mean the token itself is wrong, not the place or the moment.
TOKEN_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
    }
)
TOKEN_HINTS = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-..., OAuth & Permissions, after installing the app)",
    "SLACK_APP_TOKEN": "the app-level token (xapp-..., connections:write, Basic Information)",
}


def start_runtime(*, serving: bool) -> Runtime | None:
    """The bot built from validated settings; None, once the reason is printed, if it cannot be.

    `serving` (the `run` command) also checks SLACK_APP_TOKEN when it selects Socket Mode.
    """
    settings = load_settings(require=SLACK_RUNTIME_SETTINGS)
    setup_logging(settings.log_level, fmt=settings.log_format, secrets=secret_values(settings))
    withdraw_bolt_environment()
    problem = slack_problem(settings, socket_mode=serving and settings.socket_mode)
    if problem is not None:
        print(problem, file=sys.stderr)
        return None
    from bot.runtime import build_runtime

    try:
        return build_runtime(settings)
    except SchemaError as error:
        print(error, file=sys.stderr)
        return None


def secret_values(settings: Settings) -> list[str]:
    """The configured secrets, for the log filter to redact wherever they show up."""
    names = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
    return [settings.secret(name) for name in names if not settings.missing([name])]


def withdraw_bolt_environment() -> None:
    """Take the variables Bolt would read on its own out of this process's environment."""
    for name in BOLT_ENVIRONMENT:
        os.environ.pop(name, None)


def slack_problem(settings: Settings, *, socket_mode: bool) -> str | None:
    """Ask Slack whether it takes the tokens; the one line to print when it does not."""
    from bot.slack.app import make_client

    url = settings.slack_api_url
    # slack_sdk logs every failed attempt; the outcome is reported once, by the caller.
    quiet = logging.getLogger("bot.cli.startup.slack_check")
    quiet.setLevel(logging.CRITICAL)
    client = make_client(token=settings.secret("SLACK_BOT_TOKEN"), base_url=url, logger=quiet)
    problem = _ask(client.auth_test, setting="SLACK_BOT_TOKEN", url=url)
    if problem is None and socket_mode:
        app_token = settings.secret("SLACK_APP_TOKEN")
        problem = _ask(
            lambda: client.apps_connections_open(app_token=app_token),
            setting="SLACK_APP_TOKEN",
            url=url,
        )
    return problem


def _ask(call: Callable[[], object], *, setting: str, url: str) -> str | None:
    """Make one Web API call authenticated by `setting`; what went wrong, in one line."""
    from slack_sdk.errors import SlackApiError

    try:
        call()
    except SlackApiError as error:
        data = error.response.data
        code = data.get("error") if isinstance(data, dict) else None
        if code in TOKEN_ERRORS:
            return f"Slack refused {setting} ({code}): check {TOKEN_HINTS[setting]}."
        status = error.response.status_code
        answer = code or "not a Slack Web API answer"
        return f"Slack at SLACK_API_URL={url} answered HTTP {status} ({answer}): check the URL."
    except OSError as error:  # refused, timed out, unknown host, TLS: all OSErrors
        reason = error.reason if isinstance(error, URLError) else error
        detail = getattr(reason, "strerror", None) or str(reason)
        return (
            f"Cannot reach Slack at SLACK_API_URL={url} ({detail}): check the URL and the network."
        )
    return None
