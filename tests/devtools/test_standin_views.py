"""Stand-in directory, views and call recording, seen through slack_sdk."""

from __future__ import annotations

import threading
from datetime import datetime
from urllib.error import URLError
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.devtools import RecordedCall, SlackStandIn

from .blockkit import modal, plain, section, text_input
from .helpers import api_error


class TestDirectory:
    def test_users_info_with_tz_offset_for_today(self, client: WebClient) -> None:
        user = client.users_info(user="UENG")["user"]
        expected = datetime.now(ZoneInfo("Europe/Berlin")).utcoffset()
        assert expected is not None
        assert user["tz"] == "Europe/Berlin"
        assert user["tz_offset"] == int(expected.total_seconds())
        assert user["profile"]["display_name"] == "eng"
        assert user["is_admin"] is False and user["is_bot"] is False

    def test_admin_owner_and_unknown_users(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.add_user(
            "UOWN", name="olga", is_owner=True, is_primary_owner=True, tz="Asia/Kolkata"
        )
        owner = client.users_info(user="UOWN")["user"]
        assert (owner["is_owner"], owner["is_primary_owner"], owner["tz_offset"]) == (
            True,
            True,
            19800,
        )
        assert client.users_info(user="UADMIN")["user"]["is_admin"] is True
        assert client.users_info(user="UBOT")["user"]["is_bot"] is True
        assert api_error(lambda: client.users_info(user="UNOBODY")) == "user_not_found"

    def test_bad_timezone_fails_at_setup(self, standin: SlackStandIn) -> None:
        with pytest.raises(Exception, match="Mars"):
            standin.add_user("UX", name="x", tz="Mars/Olympus")

    def test_usergroups(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.add_usergroup("SONCALL", "oncall", ["UADMIN", "UENG"])
        assert client.usergroups_users_list(usergroup="SONCALL")["users"] == ["UADMIN", "UENG"]
        assert client.usergroups_users_list(usergroup="SSUPPORT")["users"] == ["UENG"]
        assert api_error(lambda: client.usergroups_users_list(usergroup="SX")) == "no_such_subteam"
        handles = {g["handle"] for g in client.usergroups_list()["usergroups"]}
        assert handles == {"oncall", "ssupport"}

    def test_lookup_by_email(self, client: WebClient) -> None:
        assert client.users_lookupByEmail(email="ENG@example.com")["user"]["id"] == "UENG"


class TestViews:
    def test_open_update_with_hash(self, standin: SlackStandIn, client: WebClient) -> None:
        opened = client.views_open(trigger_id="t1", view=modal(text_input(), private_metadata="m"))
        view = opened["view"]
        assert view["id"].startswith("V") and view["hash"]
        assert view["private_metadata"] == "m" and view["callback_id"] == "file_request"
        assert view["state"] == {"values": {}}
        assert standin.views_opened()[0]["id"] == view["id"]
        updated = client.views_update(
            view_id=view["id"], hash=view["hash"], view=modal(section("2"))
        )
        assert updated["view"]["id"] == view["id"] and updated["view"]["hash"] != view["hash"]
        stale = lambda: client.views_update(view_id=view["id"], hash=view["hash"], view=modal())  # noqa: E731
        assert api_error(stale) == "hash_conflict"
        current = standin.view(view["id"])
        assert current is not None and current["blocks"] == [section("2")]

    def test_trigger_ids_are_single_use(self, client: WebClient) -> None:
        client.views_open(trigger_id="t-once", view=modal())
        assert api_error(lambda: client.views_open(trigger_id="t-once", view=modal())) == (
            "exchanged_trigger_id"
        )

    def test_push_stacks_at_most_three(self, standin: SlackStandIn, client: WebClient) -> None:
        root = client.views_open(trigger_id="a", view=modal())["view"]
        second = client.views_push(trigger_id="b", view=modal())["view"]
        third = client.views_push(trigger_id="c", view=modal())["view"]
        assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
        assert third["previous_view_id"] == second["id"]
        assert (
            api_error(lambda: client.views_push(trigger_id="d", view=modal()))
            == "push_limit_reached"
        )
        assert [v["id"] for v in standin.views_pushed()] == [second["id"], third["id"]]

    def test_update_by_external_id_and_unknown(self, client: WebClient) -> None:
        view = client.views_open(trigger_id="e", view=modal(external_id="req-1"))["view"]
        again = client.views_update(external_id="req-1", view=modal(section("x")))["view"]
        assert again["id"] == view["id"]
        assert api_error(lambda: client.views_update(view_id="V404", view=modal())) == "not_found"

    def test_publish_home(self, standin: SlackStandIn, client: WebClient) -> None:
        home = {"type": "home", "blocks": [section("My requests")]}
        first = client.views_publish(user_id="UADMIN", view=home)["view"]
        second = client.views_publish(user_id="UADMIN", view=home)["view"]
        assert first["id"] == second["id"] and first["type"] == "home"
        published = standin.published_home("UADMIN")
        assert published is not None and published["blocks"] == [section("My requests")]
        assert standin.published_home("UENG") is None

    def test_wrong_view_type_for_method(self, client: WebClient) -> None:
        home = {"type": "home", "blocks": [section()]}
        assert (
            api_error(lambda: client.views_open(trigger_id="h", view=home)) == "invalid_arguments"
        )
        assert (
            api_error(lambda: client.views_publish(user_id="U1", view=modal()))
            == "invalid_arguments"
        )

    def test_missing_submit_is_reported_like_slack(self, client: WebClient) -> None:
        view = modal(text_input(), title=plain("New request"))
        del view["submit"]
        with pytest.raises(SlackApiError) as failure:
            client.views_open(trigger_id="s", view=view)
        messages = failure.value.response["response_metadata"]["messages"]
        assert messages == [
            "[ERROR] is required when the view has input blocks [json-pointer:/view/submit]"
        ]


class TestRecording:
    def test_wait_for_blocks_until_calls_arrive(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        poster = threading.Timer(
            0.05, lambda: client.chat_postMessage(channel="C_SUPPORT", text="x")
        )
        poster.start()
        try:
            calls = standin.wait_for("chat.postMessage", timeout=3)
        finally:
            poster.join()
        assert calls[0].params["text"] == "x"
        assert standin.messages("C_SUPPORT")[0]["text"] == "x"

    def test_wait_for_predicate_and_timeout_message(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        client.auth_test()
        with pytest.raises(AssertionError, match=r"chat.postMessage.*got 0.*auth.test"):
            standin.wait_for("chat.postMessage", timeout=0.05)
        client.chat_postMessage(channel="C_SUPPORT", text="a")
        client.chat_postMessage(channel="C_SUPPORT", text="b")
        found = standin.wait_for("chat.postMessage", predicate=lambda c: c.params["text"] == "b")
        assert len(found) == 1

    def test_calls_clear_and_listener(self, standin: SlackStandIn, client: WebClient) -> None:
        heard: list[RecordedCall] = []
        standin.add_listener(heard.append)
        client.auth_test()
        assert [c.method for c in standin.calls] == ["auth.test"]
        assert heard == standin.calls
        standin.clear_calls()
        assert standin.calls == [] and standin.calls_to("auth.test") == []

    def test_recorded_params_are_a_copy(self, standin: SlackStandIn, client: WebClient) -> None:
        client.chat_postMessage(channel="C_SUPPORT", text="x", blocks=[section()])
        standin.calls[0].params["blocks"].clear()
        assert standin.messages("C_SUPPORT")[0]["blocks"] == [section()]


def test_two_standins_run_side_by_side() -> None:
    with SlackStandIn() as one, SlackStandIn(bot_token="xoxb-two") as two:
        assert one.port != two.port
        assert WebClient(token="xoxb-two", base_url=two.base_url).auth_test()["ok"]
    with pytest.raises(RuntimeError):
        _ = SlackStandIn().base_url


def test_stop_and_start_again_on_the_same_url(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.base_url, timeout=2, retry_handlers=[])
    client.chat_postMessage(channel="C_SUPPORT", text="before")
    standin.stop()
    with pytest.raises(URLError):
        client.auth_test()
    standin.start()
    assert client.chat_postMessage(channel="C_SUPPORT", text="after")["ok"]
    assert [m["text"] for m in standin.messages("C_SUPPORT")] == ["before", "after"]
