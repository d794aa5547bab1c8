"""SlackDriver in Slack Connect: the envelopes and payloads Slack sends, and what it never sends."""

from __future__ import annotations

from typing import Any

import pytest

from bot.devtools import SlackDriver, SlackStandIn
from bot.devtools.connect_cast import add_customer_org
from bot.devtools.driver import ConnectRoster, NotDeliveredBySlack
from tests.devtools.fake_app import SECRET, FakeApp

HOME, ACME = "T0001", "T0ACME"


@pytest.fixture
def roster() -> ConnectRoster:
    return ConnectRoster(
        home_team=HOME, teams={"UACME1": ACME, "UACME2": ACME}, shared_channels={"C_ACME"}
    )


@pytest.fixture
def driver(app: FakeApp, roster: ConnectRoster) -> SlackDriver:
    return SlackDriver(base_url=app.url, signing_secret=SECRET, directory=roster)


def _event_body(app: FakeApp) -> dict[str, Any]:
    body = app.received[-1].json()
    assert app.received[-1].verified
    return body


def test_external_message_in_a_shared_channel(driver: SlackDriver, app: FakeApp) -> None:
    driver.message_event(channel_id="C_ACME", user_id="UACME2", text="help", thread_ts="1.0")
    body = _event_body(app)
    assert body["is_ext_shared_channel"] is True
    assert body["team_id"] == ACME and body["context_team_id"] == HOME
    assert "context_enterprise_id" in body and body["context_enterprise_id"] is None
    assert [a["team_id"] for a in body["authorizations"]] == [HOME]
    event = body["event"]
    assert (event["team"], event["user_team"], event["source_team"]) == (ACME, ACME, ACME)
    assert (event["user"], event["thread_ts"], event["channel_type"]) == (
        "UACME2", "1.0", "channel",
    )  # fmt: skip


def test_home_message_in_a_shared_channel(driver: SlackDriver, app: FakeApp) -> None:
    driver.message_event(channel_id="C_ACME", user_id="UENG", text="on it")
    body = _event_body(app)
    assert body["is_ext_shared_channel"] is True and body["team_id"] == HOME
    assert (body["event"]["team"], body["event"]["user_team"]) == (HOME, HOME)


def test_a_workspace_channel_keeps_the_plain_envelope(driver: SlackDriver, app: FakeApp) -> None:
    driver.message_event(channel_id="C_SUPPORT", user_id="UENG", text="hi")
    body = _event_body(app)
    assert body["is_ext_shared_channel"] is False and body["team_id"] == HOME
    assert "context_enterprise_id" not in body and "user_team" not in body["event"]


def test_block_action_of_an_external_user(driver: SlackDriver, app: FakeApp) -> None:
    message = {"ts": "5.0", "channel": "C_ACME", "blocks": [_button_block()]}
    driver.block_action(user_id="UACME1", action_id="help", message=message)
    payload = app.received[-1].payload()
    assert payload["user"]["id"] == "UACME1" and payload["user"]["team_id"] == ACME
    assert payload["team"]["id"] == HOME and payload["channel"]["id"] == "C_ACME"
    driver.block_action(user_id="UENG", action_id="help", message=message)
    assert app.received[-1].payload()["user"]["team_id"] == HOME


def test_view_submission_of_an_external_user(driver: SlackDriver, app: FakeApp) -> None:
    driver.view_submission(user_id="UACME1", view={"id": "V1", "blocks": []}, values={})
    payload = app.received[-1].payload()
    assert payload["team"]["id"] == ACME and payload["user"]["team_id"] == ACME
    assert payload["view"]["team_id"] == ACME
    assert payload["view"]["app_installed_team_id"] == HOME
    driver.view_submission(user_id="UENG", view={"id": "V2", "blocks": []}, values={})
    assert "app_installed_team_id" not in app.received[-1].payload()["view"]


@pytest.mark.parametrize("channel", ["C_ACME", "C_SUPPORT", "DUACME1"])
def test_slash_commands_of_externals_are_never_delivered(
    driver: SlackDriver,
    app: FakeApp,
    channel: str,
) -> None:
    with pytest.raises(NotDeliveredBySlack, match="slash commands"):
        driver.slash_command(user_id="UACME1", channel_id=channel)
    assert app.received == []
    driver.slash_command(user_id="UENG", channel_id="C_ACME")
    assert app.received[-1].form()["team_id"] == HOME


def test_channel_shared_and_member_joined(driver: SlackDriver, app: FakeApp) -> None:
    driver.channel_shared(channel_id="C_ACME", connected_team_id=ACME)
    event = _event_body(app)["event"]
    assert set(event) == {"type", "connected_team_id", "channel", "event_ts"}
    assert (event["type"], event["connected_team_id"], event["channel"]) == (
        "channel_shared", ACME, "C_ACME",
    )  # fmt: skip
    driver.member_joined_channel(channel_id="C_ACME", user_id="UACME2", inviter="UACME1")
    body = _event_body(app)
    assert body["is_ext_shared_channel"] is True and body["team_id"] == ACME
    assert (body["event"]["team"], body["event"]["channel_type"]) == (ACME, "C")
    assert body["event"]["inviter"] == "UACME1"


def test_the_stand_in_is_the_directory(app: FakeApp) -> None:
    with SlackStandIn() as standin:
        org = add_customer_org(standin)
        driver = SlackDriver(base_url=app.url, signing_secret=SECRET, directory=standin)
        ts = standin.add_message(org.channel, user=org.member, text="our export fails")
        stored = standin.message(org.channel, ts)
        assert stored is not None
        driver.posted(stored)
        body = _event_body(app)
        assert body["is_ext_shared_channel"] is True and body["team_id"] == org.team_id
        assert body["event"]["user_team"] == org.team_id and body["event"]["ts"] == ts
        with pytest.raises(NotDeliveredBySlack):
            driver.slash_command(user_id=org.admin)


def test_without_a_directory_everyone_is_at_home(app: FakeApp) -> None:
    driver = SlackDriver(base_url=app.url, signing_secret=SECRET)
    driver.message_event(channel_id="C_ACME", user_id="UACME2", text="x")
    body = _event_body(app)
    assert body["is_ext_shared_channel"] is False and body["event"]["team"] == HOME


def _button_block() -> dict[str, Any]:
    button = {"type": "button", "action_id": "help", "text": {"type": "plain_text", "text": "?"}}
    return {"type": "actions", "block_id": "b1", "elements": [button]}
