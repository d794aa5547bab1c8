"""Day one: `.env.example` filled in starts the bot; a Slack that says no stops it in one line.

Real `python -m bot` processes in a temporary folder holding the `.env`, against the local
Slack stand-in (which answers invalid_auth to any token but its own).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.harness import BOT_TOKEN, SIGNING_SECRET
from bot.devtools.standin import SlackStandIn
from tests.app.bot_process import (
    FILLED_IN,
    clean_env,
    env_from_example,
    free_port,
    run_bot,
    start_serving,
)

BOT_TOKEN_REFUSED = (
    "Slack refused SLACK_BOT_TOKEN (invalid_auth): check the bot token "
    "(xoxb-..., OAuth & Permissions, after installing the app)."
)


def test_the_filled_in_example_serves_http_with_the_app_token_left_blank(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    port = free_port()
    dotenv = env_from_example(tmp_path, **FILLED_IN, SLACK_API_URL=standin.base_url, PORT=str(port))
    assert "\nSLACK_APP_TOKEN=\n" in dotenv.read_text()  # blank, as the example says for HTTP

    bot = start_serving(tmp_path, port)
    try:
        bot.wait_until_serving()
        assert bot.get("/healthz") == 200
    finally:
        bot.stop()

    output = bot.output()
    assert "Traceback" not in output
    assert "serving Slack at http://127.0.0.1" in output
    assert (tmp_path / "kustomer-support.db").exists()  # the example's SQLite, in the bot's folder
    assert standin.calls_to("auth.test")
    assert BOT_TOKEN not in output
    assert SIGNING_SECRET not in output


def test_settings_in_the_environment_draw_no_warning_from_bolt(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    port = free_port()
    env = clean_env(
        **FILLED_IN,
        SLACK_API_URL=standin.base_url,
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        SUPPORT_EMAIL="support@kustomer.example",
        LOG_LEVEL="INFO",
    )

    bot = start_serving(tmp_path, port, env)
    try:
        bot.wait_until_serving()
        assert bot.get("/healthz") == 200
    finally:
        bot.stop()

    output = bot.output()
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself, beside the client it is given.
    assert "will be unused" not in output
    assert "WARNING" not in output, output
    assert BOT_TOKEN not in output


@pytest.mark.parametrize("command", ["run", "worker"])
def test_a_bot_token_slack_refuses_stops_the_bot_with_one_line(
    command: str, standin: SlackStandIn, tmp_path: Path
) -> None:
    filled = {**FILLED_IN, "SLACK_BOT_TOKEN": "xoxb-revoked-long-ago"}
    env_from_example(tmp_path, **filled, SLACK_API_URL=standin.base_url, PORT=str(free_port()))

    result = run_bot(command, folder=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [BOT_TOKEN_REFUSED]
    assert "xoxb-revoked-long-ago" not in result.stdout + result.stderr
    assert not (tmp_path / "kustomer-support.db").exists()  # stopped before touching anything


@pytest.mark.parametrize("command", ["run", "worker"])
def test_a_slack_it_cannot_reach_stops_the_bot_with_one_line(command: str, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/"
    env_from_example(tmp_path, **FILLED_IN, SLACK_API_URL=url, PORT=str(free_port()))

    result = run_bot(command, folder=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"Cannot reach Slack at SLACK_API_URL={url} (Connection refused): "
        "check the URL and the network."
    ]
    assert BOT_TOKEN not in result.stdout + result.stderr


def test_an_app_token_slack_refuses_stops_socket_mode_with_one_line(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    env_from_example(
        tmp_path, **FILLED_IN, SLACK_APP_TOKEN="xapp-1-unknown", SLACK_API_URL=standin.base_url
    )

    result = run_bot("run", folder=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Slack refused SLACK_APP_TOKEN (invalid_auth): check the app-level token "
        "(xapp-..., connections:write, Basic Information)."
    ]
    assert "xapp-1-unknown" not in result.stdout + result.stderr
