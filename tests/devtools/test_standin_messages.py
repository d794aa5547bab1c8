"""Stand-in chat, conversation and rate behaviour, seen through slack_sdk."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.devtools import SlackStandIn

from .blockkit import plain, section
from .helpers import api_error


class TestChat:
    def test_update_keeps_blocks_unless_replaced(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        root = client.chat_postMessage(channel="C_SUPPORT", text="v1", blocks=[section("v1")])
        updated = client.chat_update(channel="C_SUPPORT", ts=root["ts"], text="v2")
        assert updated["ts"] == root["ts"] and updated["text"] == "v2"
        stored = standin.message("C_SUPPORT", root["ts"])
        assert stored is not None
        assert stored["text"] == "v2" and stored["blocks"] == [section("v1")]
        client.chat_update(channel="C_SUPPORT", ts=root["ts"], text="v3", blocks=[section("v3")])
        assert standin.messages("C_SUPPORT")[0]["blocks"] == [section("v3")]

    def test_update_and_delete_errors(self, standin: SlackStandIn, client: WebClient) -> None:
        assert api_error(lambda: client.chat_update(channel="C_SUPPORT", ts="1.2", text="x")) == (
            "message_not_found"
        )
        human = standin.add_message("C_SUPPORT", user="UENG", text="mine")
        assert api_error(lambda: client.chat_update(channel="C_SUPPORT", ts=human, text="x")) == (
            "cant_update_message"
        )
        assert api_error(lambda: client.chat_delete(channel="C_SUPPORT", ts=human)) == (
            "cant_delete_message"
        )
        root = client.chat_postMessage(channel="C_SUPPORT", text="bye")
        client.chat_delete(channel="C_SUPPORT", ts=root["ts"])
        assert [m["text"] for m in standin.messages("C_SUPPORT")] == ["mine"]

    def test_replying_to_a_reply_stays_in_the_thread(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        root = client.chat_postMessage(channel="C_SUPPORT", text="root")
        reply = client.chat_postMessage(channel="C_SUPPORT", text="r1", thread_ts=root["ts"])
        nested = client.chat_postMessage(channel="C_SUPPORT", text="r2", thread_ts=reply["ts"])
        assert nested["message"]["thread_ts"] == root["ts"]
        assert [m["text"] for m in standin.thread("C_SUPPORT", root["ts"])] == ["root", "r1", "r2"]

    def test_permalinks(self, client: WebClient) -> None:
        root = client.chat_postMessage(channel="C_SUPPORT", text="root")
        reply = client.chat_postMessage(channel="C_SUPPORT", text="r", thread_ts=root["ts"])
        root_link = client.chat_getPermalink(channel="C_SUPPORT", message_ts=root["ts"])
        assert root_link["permalink"] == (
            "https://standin.slack.test/archives/C_SUPPORT/p1700000000000100"
        )
        reply_link = client.chat_getPermalink(channel="C_SUPPORT", message_ts=reply["ts"])
        assert reply_link["permalink"] == (
            "https://standin.slack.test/archives/C_SUPPORT/p1700000000000200"
            "?thread_ts=1700000000.000100&cid=C_SUPPORT"
        )

    def test_ephemerals(self, standin: SlackStandIn, client: WebClient) -> None:
        answer = client.chat_postEphemeral(channel="C_SUPPORT", user="UADMIN", text="only you")
        client.chat_postEphemeral(
            channel="C_OTHER", user="UENG", text="you too", blocks=[section()]
        )
        assert answer["message_ts"]
        assert [e["text"] for e in standin.ephemerals()] == ["only you", "you too"]
        assert [e["text"] for e in standin.ephemerals(user="UENG")] == ["you too"]
        assert [e["user"] for e in standin.ephemerals(channel="C_SUPPORT")] == ["UADMIN"]
        assert standin.messages("C_SUPPORT") == []

    def test_posting_to_a_user_id_goes_to_the_dm(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        answer = client.chat_postMessage(channel="UENG", text="psst")
        assert answer["channel"] == "DUENG"
        assert client.conversations_open(users="UENG")["channel"]["id"] == "DUENG"
        assert [m["text"] for m in standin.messages("UENG")] == ["psst"]

    def test_not_in_channel_until_joined(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.add_channel("C_ESC", "escalations", is_member=False)
        assert (
            api_error(lambda: client.chat_postMessage(channel="C_ESC", text="x"))
            == "not_in_channel"
        )
        assert client.conversations_join(channel="C_ESC")["channel"]["is_member"] is True
        assert client.chat_postMessage(channel="C_ESC", text="x")["ok"]
        standin.add_channel("G_PRIV", "private", is_member=False, is_private=True)
        assert api_error(lambda: client.conversations_join(channel="G_PRIV")) == (
            "method_not_supported_for_channel_type"
        )

    def test_undeclared_channels_come_into_being_when_written(self, client: WebClient) -> None:
        assert api_error(lambda: client.conversations_info(channel="C_NEW")) == "channel_not_found"
        assert client.conversations_join(channel="C_NEW")["channel"]["name"] == "c_new"
        assert client.conversations_info(channel="C_NEW")["channel"]["is_member"] is True


class TestConversations:
    def test_info(self, client: WebClient) -> None:
        channel = client.conversations_info(channel="C_SUPPORT")["channel"]
        assert (channel["id"], channel["name"], channel["is_member"]) == (
            "C_SUPPORT",
            "support",
            True,
        )
        assert api_error(lambda: client.conversations_info(channel="C_NOPE")) == "channel_not_found"

    def test_replies_and_history(self, standin: SlackStandIn, client: WebClient) -> None:
        asked = standin.add_message("C_SUPPORT", user="UADMIN", text="help?")
        client.chat_postMessage(channel="C_SUPPORT", text="on it", thread_ts=asked)
        later = client.chat_postMessage(channel="C_SUPPORT", text="another root")
        replies = client.conversations_replies(channel="C_SUPPORT", ts=asked)["messages"]
        assert [m["text"] for m in replies] == ["help?", "on it"]
        assert replies[0]["reply_count"] == 1 and replies[0]["reply_users"] == ["UBOT"]
        history = client.conversations_history(channel="C_SUPPORT")["messages"]
        assert [m["ts"] for m in history] == [later["ts"], asked]
        assert api_error(lambda: client.conversations_replies(channel="C_SUPPORT", ts="9.9")) == (
            "thread_not_found"
        )

    def test_reactions(self, standin: SlackStandIn, client: WebClient) -> None:
        asked = standin.add_message("C_SUPPORT", user="UADMIN", text="help?")
        client.reactions_add(channel="C_SUPPORT", timestamp=asked, name="eyes")
        assert standin.reactions("C_SUPPORT", asked) == ["eyes"]
        assert (
            api_error(
                lambda: client.reactions_add(channel="C_SUPPORT", timestamp=asked, name="eyes")
            )
            == "already_reacted"
        )
        shown = client.conversations_history(channel="C_SUPPORT")["messages"][0]
        assert shown["reactions"] == [{"name": "eyes", "users": ["UBOT"], "count": 1}]


class TestRate:
    def test_the_pace_of_posts_the_burst_lets_through_is_measured(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        for text in ("a", "b", "c"):  # within chat.postMessage's burst of three
            client.chat_postMessage(channel="C_SUPPORT", text=text)
        client.chat_postMessage(channel="C_OTHER", text="d")
        assert standin.rate_violations == 2
        times = standin.post_times("C_SUPPORT")
        assert len(times) == 3 and times == sorted(times)
        assert len(standin.post_times("C_OTHER")) == 1

    def test_enforced_rate_answers_429(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.enforce_rate(per_channel_per_second=1.0)  # the older API: strict, no burst
        client.chat_postMessage(channel="C_SUPPORT", text="a")
        with pytest.raises(SlackApiError) as failure:
            client.chat_postMessage(channel="C_SUPPORT", text="b")
        assert failure.value.response.status_code == 429
        assert failure.value.response["error"] == "ratelimited"
        assert client.chat_postMessage(channel="C_OTHER", text="c")["ok"]
        assert standin.rate_violations == 1
        assert [m["text"] for m in standin.messages("C_SUPPORT")] == ["a"]
        standin.enforce_rate(None)
        assert client.chat_postMessage(channel="C_SUPPORT", text="d")["ok"]

    def test_generous_rate_allows_bursts(self, standin: SlackStandIn, client: WebClient) -> None:
        standin.enforce_rate(per_channel_per_second=1000.0)
        client.chat_postMessage(channel="C_SUPPORT", text="a")
        standin.stall_next("chat.postMessage", 0.01)
        assert client.chat_postMessage(channel="C_SUPPORT", text="b")["ok"]


def test_response_urls_are_recorded(standin: SlackStandIn) -> None:
    from slack_sdk.webhook import WebhookClient

    url = f"{standin.response_url_base}abc"
    answer = WebhookClient(url).send(text="Only you can see this", response_type="ephemeral")
    assert answer.status_code == 200
    assert standin.responses() == [
        {"text": "Only you can see this", "response_type": "ephemeral", "url": "/response/abc"}
    ]
    bad = WebhookClient(url).send(text="x", blocks=[{"type": "header", "text": plain("h" * 151)}])
    assert '"invalid_blocks"' in bad.body
