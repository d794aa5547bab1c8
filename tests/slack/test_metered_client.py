"""The bot's Web API client counts its calls, the failed ones and every 429 Slack answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY
from slack_sdk.errors import SlackApiError

from bot.devtools.standin import SlackStandIn
from bot.slack.app import make_client
from bot.slack.metered import method_of

TOKEN = "xoxb-metered"


def value(name: str, **labels: str) -> float:
    """A sample's value now (the registry is process-wide: tests compare before and after)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    standin = SlackStandIn(bot_token=TOKEN, rate_limits=False).start()
    standin.add_channel("C0SUPPORT", "support")
    standin.add_channel("C0ELSEWHERE", "elsewhere", is_member=False)
    yield standin
    standin.stop()


def test_calls_and_errors_are_counted_by_method_and_error(standin: SlackStandIn) -> None:
    client = make_client(token=TOKEN, base_url=standin.base_url)
    calls = value("kustomer_slack_api_calls_total", method="chat.postMessage")
    refused = value(
        "kustomer_slack_api_errors_total", method="chat.postMessage", error="not_in_channel"
    )

    client.chat_postMessage(channel="C0SUPPORT", text="hello")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0ELSEWHERE", text="hello")

    assert value("kustomer_slack_api_calls_total", method="chat.postMessage") == calls + 2
    assert (
        value(
            "kustomer_slack_api_errors_total",
            method="chat.postMessage",
            error="not_in_channel",
        )
        == refused + 1
    )


def test_every_429_is_counted_whether_or_not_it_is_retried(standin: SlackStandIn) -> None:
    client = make_client(token=TOKEN, base_url=standin.base_url)
    limited = value("kustomer_slack_rate_limited_total", method="auth.test")
    errors = value("kustomer_slack_api_errors_total", method="auth.test", error="ratelimited")
    calls = value("kustomer_slack_api_calls_total", method="auth.test")

    standin.fail_next("auth.test", status=429, retry_after=0)
    client.auth_test()  # waited out and retried: one call, no error
    assert value("kustomer_slack_rate_limited_total", method="auth.test") == limited + 1
    assert value("kustomer_slack_api_errors_total", method="auth.test", error="ratelimited") == (
        errors
    )

    standin.fail_next("auth.test", status=429, retry_after=0, count=4)
    with pytest.raises(SlackApiError):
        client.auth_test()  # three retries, then Slack's answer stands
    assert value("kustomer_slack_rate_limited_total", method="auth.test") == limited + 5
    assert (
        value("kustomer_slack_api_errors_total", method="auth.test", error="ratelimited")
        == errors + 1
    )
    assert value("kustomer_slack_api_calls_total", method="auth.test") == calls + 2


def test_a_server_error_is_counted_by_its_code(standin: SlackStandIn) -> None:
    client = make_client(token=TOKEN, base_url=standin.base_url)
    before = value("kustomer_slack_api_errors_total", method="auth.test", error="fatal_error")

    standin.fail_next("auth.test", status=400)
    with pytest.raises(SlackApiError):
        client.auth_test()

    assert (
        value("kustomer_slack_api_errors_total", method="auth.test", error="fatal_error")
        == before + 1
    )


def test_the_method_is_read_from_the_url() -> None:
    assert method_of("https://slack.com/api/chat.postMessage") == "chat.postMessage"
    assert method_of("http://127.0.0.1:1234/api/users.info?user=U1") == "users.info"
