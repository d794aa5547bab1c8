"""SlackDriver sends requests that verify with Slack's own verifier and have Slack's shapes."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.devtools import SlackDriver
from tests.devtools.fake_app import SECRET, FakeApp


@pytest.fixture
def driver(app: FakeApp) -> SlackDriver:
    return SlackDriver(base_url=app.url, signing_secret=SECRET)


def test_slash_command_is_signed_form(driver: SlackDriver, app: FakeApp) -> None:
    answer = driver.slash_command(user_id="U1", text="status")
    assert answer.status == 200 and answer.json() == {"ok": True} and answer.elapsed >= 0
    request = app.received[0]
    assert request.verified and request.path == "/slack/events"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["X-Slack-Signature"].startswith("v0=")
    assert abs(int(request.headers["X-Slack-Request-Timestamp"]) - time.time()) < 5
    form = request.form()
    assert set(form) >= {
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id",
        "user_name", "command", "text", "api_app_id", "response_url", "trigger_id",
    }  # fmt: skip
    assert (form["command"], form["text"], form["channel_id"]) == (
        "/kustomer-support", "status", "C_SUPPORT",
    )  # fmt: skip
    driver.slash_command(user_id="U1")
    assert app.received[1].form()["trigger_id"] != form["trigger_id"]


def test_view_submission_payload(driver: SlackDriver, app: FakeApp) -> None:
    opened = {"id": "V1", "hash": "h.1", "type": "modal", "callback_id": "file", "blocks": []}
    values = SlackDriver.merge_states(
        SlackDriver.state("subject", "value", value="Printer on fire"),
        SlackDriver.state("impact", "pick", "static_select", "critical", text="Critical"),
    )
    driver.view_submission(user_id="U1", view=opened, values=values, private_metadata="m")
    request = app.received[0]
    assert request.verified
    payload = request.payload()
    assert payload["type"] == "view_submission"
    assert payload["user"]["id"] == "U1" and payload["team"]["id"] == "T0001"
    view = payload["view"]
    assert (view["id"], view["hash"], view["callback_id"]) == ("V1", "h.1", "file")
    assert view["private_metadata"] == "m"
    assert view["state"]["values"]["subject"]["value"] == {
        "type": "plain_text_input", "value": "Printer on fire",
    }  # fmt: skip
    selected = view["state"]["values"]["impact"]["pick"]["selected_option"]
    assert selected == {
        "text": {"type": "plain_text", "text": "Critical", "emoji": True},
        "value": "critical",
    }


def test_block_action_on_a_message_finds_block_id(driver: SlackDriver, app: FakeApp) -> None:
    message = {
        "ts": "1700000000.000100",
        "text": "Request",
        "blocks": [
            {
                "type": "actions",
                "block_id": "root_actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "take",
                        "text": {"type": "plain_text", "text": "Take it"},
                        "value": "42",
                    },
                ],
            }
        ],
    }
    driver.block_action(user_id="U2", action_id="take", channel_id="C1", message=message)
    payload = app.received[0].payload()
    assert payload["type"] == "block_actions"
    action = payload["actions"][0]
    assert (action["action_id"], action["block_id"], action["value"], action["type"]) == (
        "take", "root_actions", "42", "button",
    )  # fmt: skip
    assert payload["container"] == {
        "type": "message", "message_ts": message["ts"], "channel_id": "C1", "is_ephemeral": False,
    }  # fmt: skip
    assert payload["channel"]["id"] == "C1" and payload["message"]["blocks"] == message["blocks"]
    assert payload["trigger_id"] and payload["response_url"]


def test_block_action_in_a_view_with_selected_option(driver: SlackDriver, app: FakeApp) -> None:
    view = {"id": "V9", "type": "modal", "blocks": []}
    choice = {"text": {"type": "plain_text", "text": "High"}, "value": "high"}
    typed = SlackDriver.state("subject", "value", value="half-typed")
    driver.block_action(
        user_id="U2",
        action_id="impact",
        block_id="b",
        view=view,
        selected_option=choice,
        values=typed,
    )
    payload = app.received[0].payload()
    assert payload["container"] == {"type": "view", "view_id": "V9"}
    assert payload["view"]["id"] == "V9" and payload["view"]["state"]["values"] == typed
    assert payload["actions"][0]["selected_option"] == choice
    assert payload["actions"][0]["type"] == "static_select"


def test_message_event_and_retries(driver: SlackDriver, app: FakeApp) -> None:
    driver.message_event(channel_id="C1", user_id="U1", text="hello", thread_ts="1.0")
    driver.message_event(channel_id="C1", user_id="U1", text="hello", event_id="Ev1", retry_num=1)
    first, retry = app.received
    assert first.verified and first.headers["Content-Type"] == "application/json"
    body = first.json()
    assert body["type"] == "event_callback" and body["event_id"].startswith("Ev")
    assert body["team_id"] == "T0001" and isinstance(body["event_time"], int)
    event = body["event"]
    assert (event["type"], event["channel"], event["user"], event["text"]) == (
        "message", "C1", "U1", "hello",
    )  # fmt: skip
    assert event["thread_ts"] == "1.0" and event["channel_type"] == "channel" and event["ts"]
    assert "X-Slack-Retry-Num" not in first.headers
    assert retry.json()["event_id"] == "Ev1"
    assert retry.headers["X-Slack-Retry-Num"] == "1"
    assert retry.headers["X-Slack-Retry-Reason"] == "http_timeout"


def test_bot_message_event(driver: SlackDriver, app: FakeApp) -> None:
    driver.message_event(
        channel_id="C1", user_id="UBOT", text="x", bot_id="B1", subtype="bot_message"
    )
    event = app.received[0].json()["event"]
    assert event["bot_id"] == "B1" and event["subtype"] == "bot_message"
    assert "client_msg_id" not in event


def test_app_home_opened_and_url_verification(driver: SlackDriver, app: FakeApp) -> None:
    driver.app_home_opened(user_id="U1")
    driver.url_verification("chal-123")
    home, verification = app.received
    assert home.json()["event"]["type"] == "app_home_opened"
    assert home.json()["event"]["tab"] == "home"
    assert verification.json() == {
        "token": verification.json()["token"], "challenge": "chal-123", "type": "url_verification",
    }  # fmt: skip
    assert home.verified and verification.verified


def test_tampered_stale_and_wrong_secret_requests_fail(driver: SlackDriver, app: FakeApp) -> None:
    stale = driver.raw(b"{}", "application/json", timestamp=int(time.time()) - 301)
    forged = driver.raw(b"{}", "application/json", signature="v0=" + "0" * 64)
    assert (stale.status, forged.status) == (401, 401)
    assert stale.body == "invalid signature"
    other = SlackDriver(base_url=driver.base_url, signing_secret="not-the-secret")
    assert other.url_verification("x").status == 401
    assert [r.verified for r in app.received] == [False, False, False]


def test_body_changed_after_signing_fails(driver: SlackDriver, app: FakeApp) -> None:
    from bot.devtools.driver import sign

    stamp = str(int(time.time()))
    signature = sign(SECRET, stamp, b'{"a":1}')
    assert (
        driver.raw(b'{"a":2}', "application/json", timestamp=stamp, signature=signature).status
        == 401
    )
    assert (
        driver.raw(b'{"a":1}', "application/json", timestamp=stamp, signature=signature).status
        == 200
    )


def _option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}


class TestStateBuilders:
    @pytest.mark.parametrize(
        ("kind", "value", "expected"),
        [
            ("plain_text_input", "x", {"value": "x"}),
            ("plain_text_input", None, {"value": None}),
            ("number_input", 3, {"value": "3"}),
            ("radio_buttons", "thread", {"selected_option": _option("thread")}),
            ("checkboxes", ["one"], {"selected_options": [_option("one")]}),
            ("checkboxes", None, {"selected_options": []}),
            ("users_select", "U1", {"selected_user": "U1"}),
            ("multi_users_select", ["U1", "U2"], {"selected_users": ["U1", "U2"]}),
            ("conversations_select", "C1", {"selected_conversation": "C1"}),
            ("datepicker", "2026-01-02", {"selected_date": "2026-01-02"}),
        ],
    )  # fmt: skip
    def test_kinds(self, kind: str, value: Any, expected: dict[str, Any]) -> None:
        assert SlackDriver.state("b", "a", kind, value) == {"b": {"a": {"type": kind, **expected}}}

    def test_unknown_kind_and_merge(self) -> None:
        with pytest.raises(ValueError, match="unknown element kind"):
            SlackDriver.state("b", "a", "crystal_ball", "x")
        merged = SlackDriver.merge_states(
            SlackDriver.state("b", "a1", value="1"),
            SlackDriver.state("b", "a2", value="2"),
            SlackDriver.state("c", "a", value="3"),
        )
        assert set(merged) == {"b", "c"} and set(merged["b"]) == {"a1", "a2"}
