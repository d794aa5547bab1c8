"""Slack Connect in the stand-in: external users, shared channels and pins, as Slack shows them."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.devtools import SlackStandIn
from bot.devtools.connect_cast import add_customer_org
from tests.devtools.helpers import api_error

HOME = "T0001"


@pytest.fixture
def shared(standin: SlackStandIn) -> SlackStandIn:
    """The stand-in with Acme's two people and a channel shared with Acme."""
    add_customer_org(standin, team_id="T0ACME", channel="C_ACME", admin="UACME1", member="UACME2")
    return standin


class TestExternalUsers:
    def test_users_info_keeps_their_team_and_reports_no_roles_here(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        user = client.users_info(user="UACME1")["user"]
        assert user["team_id"] == "T0ACME" and user["profile"]["team"] == "T0ACME"
        assert (user["is_admin"], user["is_owner"], user["is_primary_owner"]) == (False,) * 3
        assert "is_stranger" not in user and user["tz_offset"] in (-18000, -14400)

    def test_a_user_no_shared_channel_reaches_is_a_stranger(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        standin.add_external_user("UFAR", team_id="T0FAR", name="far")
        assert client.users_info(user="UFAR")["user"]["is_stranger"] is True
        standin.share_channel("C_FAR", ["T0FAR"])
        assert "is_stranger" not in client.users_info(user="UFAR")["user"]

    def test_home_users_are_unchanged(self, shared: SlackStandIn, client: WebClient) -> None:
        user = client.users_info(user="UADMIN")["user"]
        assert user["team_id"] == HOME and user["is_admin"] is True and "is_stranger" not in user

    def test_an_external_user_cannot_be_of_the_home_team(self, standin: SlackStandIn) -> None:
        with pytest.raises(ValueError):
            standin.add_external_user("UX", team_id=HOME, name="x")

    def test_the_stand_in_answers_who_belongs_where(self, shared: SlackStandIn) -> None:
        assert (shared.team_of("UACME2"), shared.team_of("UENG")) == ("T0ACME", HOME)
        assert shared.team_of("UNKNOWN") == HOME
        assert shared.is_ext_shared("C_ACME") and not shared.is_ext_shared("C_SUPPORT")


class TestSharedChannels:
    def test_conversations_info_reports_the_connect_fields(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        channel = client.conversations_info(channel="C_ACME")["channel"]
        assert channel["is_shared"] and channel["is_ext_shared"] and channel["is_member"]
        assert channel["is_pending_ext_shared"] is False and channel["is_org_shared"] is False
        assert channel["shared_team_ids"] == [HOME, "T0ACME"]
        assert channel["context_team_id"] == HOME and channel["conversation_host_id"] == HOME

    def test_a_workspace_channel_is_not_shared(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        channel = client.conversations_info(channel="C_SUPPORT")["channel"]
        assert channel["is_shared"] is False and channel["is_ext_shared"] is False
        assert channel["shared_team_ids"] == [HOME] and channel["context_team_id"] == HOME

    def test_sharing_with_more_teams_adds_them_once(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        shared.share_channel("C_ACME", ["T0ACME", "T0BETA"])
        channel = client.conversations_info(channel="C_ACME")["channel"]
        assert channel["shared_team_ids"] == [HOME, "T0ACME", "T0BETA"]
        with pytest.raises(ValueError):
            shared.share_channel("C_SUPPORT", [HOME])

    def test_messages_of_externals_name_their_team(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        ts = shared.add_message("C_ACME", user="UACME2", text="help")
        home = shared.add_message("C_ACME", user="UENG", text="on it", thread_ts=ts)
        listed = {
            m["ts"]: m for m in client.conversations_replies(channel="C_ACME", ts=ts)["messages"]
        }
        assert (listed[ts]["team"], listed[ts]["user_team"], listed[ts]["source_team"]) == (
            "T0ACME", "T0ACME", "T0ACME",
        )  # fmt: skip
        assert listed[home]["user_team"] == HOME
        plain = shared.message("C_SUPPORT", shared.add_message("C_SUPPORT", user="UENG", text="x"))
        assert plain is not None and "user_team" not in plain and plain["team"] == HOME


class TestPins:
    def test_pin_list_and_unpin(self, shared: SlackStandIn, client: WebClient) -> None:
        ts = client.chat_postMessage(channel="C_ACME", text="Need help?")["ts"]
        assert client.pins_add(channel="C_ACME", timestamp=ts)["ok"]
        items = client.pins_list(channel="C_ACME")["items"]
        assert len(items) == 1 and shared.pins("C_ACME") == items
        item = items[0]
        assert (item["type"], item["channel"], item["created_by"]) == ("message", "C_ACME", "UBOT")
        assert item["message"]["ts"] == ts and item["message"]["text"] == "Need help?"
        assert item["message"]["pinned_to"] == ["C_ACME"] and "permalink" in item["message"]
        assert shared.message("C_ACME", ts)["pinned_to"] == ["C_ACME"]  # type: ignore[index]
        assert client.pins_remove(channel="C_ACME", timestamp=ts)["ok"]
        assert client.pins_list(channel="C_ACME")["items"] == [] and shared.pins("C_ACME") == []

    def test_documented_errors(self, shared: SlackStandIn, client: WebClient) -> None:
        ts = client.chat_postMessage(channel="C_ACME", text="Need help?")["ts"]
        client.pins_add(channel="C_ACME", timestamp=ts)
        assert api_error(lambda: client.pins_add(channel="C_ACME", timestamp=ts)) == (
            "already_pinned"
        )
        assert api_error(lambda: client.pins_add(channel="C_ACME")) == "no_item_specified"
        assert api_error(lambda: client.pins_add(channel="C_ACME", timestamp="nope")) == (
            "bad_timestamp"
        )
        assert api_error(lambda: client.pins_add(channel="C_ACME", timestamp="1.2")) == (
            "message_not_found"
        )
        assert api_error(lambda: client.pins_add(channel="C_NOPE", timestamp=ts)) == (
            "channel_not_found"
        )
        assert api_error(lambda: client.pins_list(channel="C_NOPE")) == "channel_not_found"
        other = shared.add_message("C_ACME", user="UACME1", text="hi")
        assert api_error(lambda: client.pins_remove(channel="C_ACME", timestamp=other)) == (
            "not_pinned"
        )

    def test_not_in_channel(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.add_channel("C_OUT", "out", is_member=False, shared_with=("T0ACME",))
        ts = standin.add_message("C_OUT", user="UENG", text="x")
        assert api_error(lambda: client.pins_add(channel="C_OUT", timestamp=ts)) == (
            "not_in_channel"
        )

    def test_newest_first_and_a_deleted_message_is_unpinned(
        self, shared: SlackStandIn, client: WebClient
    ) -> None:
        first = client.chat_postMessage(channel="C_ACME", text="one")["ts"]
        second = client.chat_postMessage(channel="C_ACME", text="two")["ts"]
        client.pins_add(channel="C_ACME", timestamp=first)
        client.pins_add(channel="C_ACME", timestamp=second)
        assert [i["message"]["ts"] for i in shared.pins("C_ACME")] == [second, first]
        client.chat_delete(channel="C_ACME", ts=second)
        assert [i["message"]["ts"] for i in shared.pins("C_ACME")] == [first]
