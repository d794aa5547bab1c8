"""The start-up word with Slack: auth.test (and apps.connections.open for Socket Mode).

Against the real stand-in on loopback, or a port where nothing listens.
"""

from __future__ import annotations

from typing import Any

from bot.cli.startup import slack_problem
from bot.config import Settings
from bot.devtools.harness import BOT_TOKEN, harness_settings
from bot.devtools.standin import SlackStandIn
from tests.app.bot_process import free_port


def _settings(standin: SlackStandIn, **overrides: Any) -> Settings:
    return harness_settings(standin, database_url="sqlite://", **overrides)


def test_a_token_slack_takes_is_no_problem(standin: SlackStandIn) -> None:
    assert slack_problem(_settings(standin), socket_mode=False) is None
    assert [call.method for call in standin.calls] == ["auth.test"]


def test_a_bot_token_slack_refuses_is_named_with_slacks_reason(standin: SlackStandIn) -> None:
    settings = _settings(standin, slack_bot_token="xoxb-someone-elses")

    problem = slack_problem(settings, socket_mode=False)

    assert problem == (
        "Slack refused SLACK_BOT_TOKEN (invalid_auth): check the bot token "
        "(xoxb-..., OAuth & Permissions, after installing the app)."
    )


def test_an_unreachable_slack_names_the_url_to_check(standin: SlackStandIn) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/"

    problem = slack_problem(_settings(standin, slack_api_url=url), socket_mode=False)

    assert problem == (
        f"Cannot reach Slack at SLACK_API_URL={url} (Connection refused): "
        "check the URL and the network."
    )


def test_a_url_that_is_not_the_web_api_says_so(standin: SlackStandIn) -> None:
    url = standin.base_url.replace("/api/", "/elsewhere/")

    problem = slack_problem(_settings(standin, slack_api_url=url), socket_mode=False)

    assert problem == f"Slack at SLACK_API_URL={url} answered HTTP 404 (not_found): check the URL."


def test_socket_mode_also_asks_about_the_app_token(standin: SlackStandIn) -> None:
    settings = _settings(standin, slack_app_token="xapp-1-not-this-apps")

    problem = slack_problem(settings, socket_mode=True)

    assert problem == (
        "Slack refused SLACK_APP_TOKEN (invalid_auth): check the app-level token "
        "(xapp-..., connections:write, Basic Information)."
    )
    assert [call.method for call in standin.calls] == ["auth.test", "apps.connections.open"]


def test_no_problem_line_shows_a_secret(standin: SlackStandIn) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"
    problems = [
        slack_problem(_settings(standin, slack_bot_token="xoxb-secret-1"), socket_mode=False),
        slack_problem(_settings(standin, slack_app_token="xapp-secret-2"), socket_mode=True),
        slack_problem(_settings(standin, slack_api_url=closed), socket_mode=False),
    ]

    text = "\n".join(str(problem) for problem in problems)
    assert "secret-1" not in text
    assert "secret-2" not in text
    assert BOT_TOKEN not in text
