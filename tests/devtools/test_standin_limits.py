"""The stand-in enforces Slack's rate limits: token buckets per method (per channel for posts)."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler

from bot.devtools import SlackStandIn
from bot.devtools.standin_limits import (
    POST_MESSAGE,
    SLACK_LIMITS,
    TIER_2,
    TIER_3,
    TIER_4,
    WORKSPACE_LIMITS,
    WORKSPACE_POSTS,
    Limit,
    RateLimiter,
)

from .conftest import TOKEN


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: FakeTime, **limits: Limit) -> RateLimiter:
    return RateLimiter(limits={k.replace("_", "."): v for k, v in limits.items()}, now=clock)


def admit_all(limits: RateLimiter, method: str, count: int, channel: str = "") -> list[int | None]:
    return [limits.admit(method, channel=channel) for _ in range(count)]


class TestBuckets:
    def test_a_burst_goes_through_then_retry_after_says_when_a_token_is_back(self) -> None:
        clock = FakeTime()
        limits = limiter(clock, m=Limit(per_minute=20, burst=5))  # one token every 3 s
        assert admit_all(limits, "m", 5) == [None] * 5
        assert limits.admit("m") == 3
        clock.now += 1.0
        assert limits.admit("m") == 2  # 2 s to go
        clock.now += 1.5
        assert limits.admit("m") == 1  # 0.5 s to go: never less than one second

    def test_the_bucket_refills_at_the_rate_and_never_beyond_the_burst(self) -> None:
        clock = FakeTime()
        limits = limiter(clock, m=Limit(per_minute=60, burst=3))
        assert admit_all(limits, "m", 3) == [None] * 3
        clock.now += 2.0  # two tokens back
        assert admit_all(limits, "m", 3) == [None, None, 1]
        clock.now += 3600.0  # an idle hour saves up no more than the burst
        assert admit_all(limits, "m", 4) == [None, None, None, 1]

    def test_a_refused_call_takes_no_token(self) -> None:
        clock = FakeTime()
        limits = limiter(clock, m=Limit(per_minute=60, burst=1))
        assert limits.admit("m") is None
        assert admit_all(limits, "m", 5) == [1] * 5  # hammering does not push the wait out
        clock.now += 1.0
        assert limits.admit("m") is None
        assert limits.limited["m"] == 5

    def test_post_message_buckets_are_per_channel(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(now=clock)
        assert admit_all(limits, "chat.postMessage", 3, "C1") == [None] * 3
        assert limits.admit("chat.postMessage", channel="C1") == 1
        assert admit_all(limits, "chat.postMessage", 3, "C2") == [None] * 3
        clock.now += 1.0
        assert limits.admit("chat.postMessage", channel="C1") is None

    def test_tier_buckets_are_per_method_whatever_the_channel(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(now=clock)
        assert admit_all(limits, "chat.update", 10, "C1") == [None] * 10
        assert limits.admit("chat.update", channel="C2") == 2  # 50 a minute: 1.2 s a token
        assert limits.admit("chat.getPermalink", channel="C1") is None

    def test_each_tier_allows_its_burst_then_its_rate(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(now=clock)
        expected = {
            "usergroups.users.list": (5, 3),  # Tier 2: 20 a minute
            "conversations.info": (10, 2),  # Tier 3: 50 a minute
            "views.publish": (20, 1),  # Tier 4: 100 a minute
            "chat.postMessage": (3, 1),  # one a second per channel
        }
        for method, (burst, retry_after) in expected.items():
            assert admit_all(limits, method, burst) == [None] * burst, method
            assert limits.admit(method) == retry_after, method

    def test_posts_to_every_channel_together_share_the_workspace_limit(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(now=clock)
        # 100 channels (and DMs) each within their own limit: the workspace's burst.
        channels = [f"C{n:03d}" for n in range(100)]
        assert [limits.admit("chat.postMessage", channel=c) for c in channels] == [None] * 100
        assert limits.admit("chat.postMessage", channel="UFRESH") == 1  # 300 a minute: 0.2 s
        clock.now += 0.2
        assert limits.admit("chat.postMessage", channel="UFRESH") is None
        assert limits.admit("chat.postMessage", channel="C000") == 1
        assert limits.limited["chat.postMessage"] == 2

    def test_a_call_either_limit_refuses_takes_a_token_from_neither(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(
            limits={"chat.postMessage": Limit(per_minute=60, burst=1, per_channel=True)},
            workspace_limits={"chat.postMessage": Limit(per_minute=60, burst=2)},
            now=clock,
        )
        assert admit_all(limits, "chat.postMessage", 1, "C1") == [None]
        assert admit_all(limits, "chat.postMessage", 5, "C1") == [1] * 5  # its channel: full
        assert admit_all(limits, "chat.postMessage", 1, "C2") == [None]  # a workspace token left
        assert admit_all(limits, "chat.postMessage", 3, "C3") == [1] * 3  # the workspace: spent
        clock.now += 1.0
        # C3's own token was never taken by its refused calls, nor the workspace's by C1's.
        assert admit_all(limits, "chat.postMessage", 2, "C3") == [None, 1]

    def test_methods_without_a_limit_and_a_disabled_limiter_never_refuse(self) -> None:
        clock = FakeTime()
        limits = RateLimiter(now=clock)
        assert admit_all(limits, "response_url", 500) == [None] * 500
        limits.set_enabled(False)
        assert admit_all(limits, "usergroups.users.list", 50) == [None] * 50
        limits.set_enabled(True)  # back on: the buckets start full
        assert admit_all(limits, "usergroups.users.list", 6) == [None] * 5 + [3]


def test_the_methods_the_app_calls_have_slacks_documented_tiers() -> None:
    assert SLACK_LIMITS["chat.postMessage"] == POST_MESSAGE
    assert (POST_MESSAGE.per_second, POST_MESSAGE.burst, POST_MESSAGE.per_channel) == (1, 3, True)
    assert (TIER_2.per_minute, TIER_3.per_minute, TIER_4.per_minute) == (20, 50, 100)
    tiers = {
        "views.publish": TIER_4,
        "views.open": TIER_4,
        "chat.postEphemeral": TIER_4,
        "users.info": TIER_4,
        "chat.update": TIER_3,
        "conversations.info": TIER_3,
        "usergroups.users.list": TIER_2,
    }
    assert {method: SLACK_LIMITS[method] for method in tiers} == tiers
    # "limiting posting to several hundred messages per minute. Generous burst behavior..."
    assert WORKSPACE_LIMITS == {"chat.postMessage": WORKSPACE_POSTS}
    assert (WORKSPACE_POSTS.per_minute, WORKSPACE_POSTS.burst) == (300, 100)
    for special in ("auth.test", "chat.getPermalink"):
        assert SLACK_LIMITS[special].per_minute > TIER_4.per_minute


class TestOverHttp:
    def test_over_the_limit_slack_answers_429_with_retry_after(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        assert standin.rate_limits_enabled
        for _ in range(5):
            client.usergroups_users_list(usergroup="SSUPPORT")
        with pytest.raises(SlackApiError) as refused:
            client.usergroups_users_list(usergroup="SSUPPORT")
        response = refused.value.response
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert response.data == {"ok": False, "error": "ratelimited"}
        assert standin.calls[-1].status == 429 and standin.calls[-1].error == "ratelimited"
        assert standin.rate_limited("usergroups.users.list") == 1
        assert standin.rate_limited() == 1
        assert standin.call_count("usergroups.users.list") == 6
        assert standin.rate_report() == {"usergroups.users.list": (6, 1)}

    def test_posts_are_limited_per_channel_and_dms_count_as_their_channel(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        for text in "abc":
            client.chat_postMessage(channel="C_SUPPORT", text=text)
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="C_SUPPORT", text="d")
        for target in ("UENG", "DUENG", "UENG"):
            client.chat_postMessage(channel=target, text="hi")
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="DUENG", text="too many")
        assert standin.rate_limited("chat.postMessage") == 2
        assert [m["text"] for m in standin.messages("C_SUPPORT")] == ["a", "b", "c"]
        # Counted as pace violations, with the burst posts Slack let through.
        assert standin.rate_violations == 2 + 2 + 2

    def test_the_switch_turns_enforcement_off_and_on(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        standin.set_rate_limits(False)
        assert not standin.rate_limits_enabled
        for _ in range(30):
            client.usergroups_users_list(usergroup="SSUPPORT")
        standin.set_rate_limits(True)
        for _ in range(5):
            client.usergroups_users_list(usergroup="SSUPPORT")
        with pytest.raises(SlackApiError):
            client.usergroups_users_list(usergroup="SSUPPORT")
        assert standin.rate_limited() == 1 and standin.call_count() == 36

    def test_a_stand_in_built_without_limits_answers_everything(self) -> None:
        with SlackStandIn(bot_token=TOKEN, rate_limits=False) as quiet:
            client = WebClient(token=TOKEN, base_url=quiet.base_url, timeout=5)
            for _ in range(10):
                client.chat_postMessage(channel="C1", text="x")
            assert quiet.rate_limited() == 0 and quiet.call_count("chat.postMessage") == 10
            assert quiet.rate_violations == 9

    def test_one_method_can_be_given_another_limit(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        standin.set_rate_limit("views.publish", Limit(per_minute=1, burst=1))
        view = {"type": "home", "blocks": []}
        client.views_publish(user_id="UENG", view=view)
        with pytest.raises(SlackApiError) as refused:
            client.views_publish(user_id="UENG", view=view)
        assert refused.value.response.headers["Retry-After"] == "60"
        standin.set_rate_limit("views.publish", None)
        client.views_publish(user_id="UENG", view=view)
        assert standin.rate_limited("views.publish") == 1

    def test_beyond_the_workspace_limit_any_channel_is_answered_429(
        self, standin: SlackStandIn, client: WebClient
    ) -> None:
        standin.set_workspace_limit("chat.postMessage", Limit(per_minute=60, burst=3))
        for target in ("C_SUPPORT", "UENG", "UADMIN"):
            client.chat_postMessage(channel=target, text="within the workspace's burst")
        standin.add_channel("C_QUIET", "quiet")
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C_QUIET", text="a quiet channel, a spent workspace")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers["Retry-After"] == "1"
        assert standin.rate_limited("chat.postMessage") == 1
        standin.set_workspace_limit("chat.postMessage", None)
        client.chat_postMessage(channel="C_SUPPORT", text="no workspace limit")

    def test_slack_sdk_waits_out_retry_after_and_succeeds(self, standin: SlackStandIn) -> None:
        standin.set_rate_limit("chat.postMessage", Limit(per_minute=60, burst=1, per_channel=True))
        patient = WebClient(
            token=TOKEN,
            base_url=standin.base_url,
            timeout=5,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
        )
        patient.chat_postMessage(channel="C_SUPPORT", text="first")
        started = time.monotonic()
        assert patient.chat_postMessage(channel="C_SUPPORT", text="second")["ok"]
        assert time.monotonic() - started >= 1.0
        assert standin.rate_limited("chat.postMessage") == 1
        assert [m["text"] for m in standin.messages("C_SUPPORT")] == ["first", "second"]


def test_refused_attempts_are_logged_but_calls_to_and_wait_for_count_their_retry(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.set_rate_limit("chat.postMessage", Limit(per_minute=60, burst=1, per_channel=True))
    standin.fail_next("chat.postMessage", status=500)  # a staged fault is not a throttle
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C_SUPPORT", text="fails")
    client.chat_postMessage(channel="C_SUPPORT", text="first")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C_SUPPORT", text="too soon")

    logged = [(c.params["text"], c.status, c.throttled) for c in standin.calls]
    assert logged == [("fails", 500, False), ("first", 200, False), ("too soon", 429, True)]
    assert [c.params["text"] for c in standin.calls_to("chat.postMessage")] == ["fails", "first"]
    assert len(standin.calls_to("chat.postMessage", throttled=True)) == 3
    with pytest.raises(AssertionError, match="expected 3 matching"):
        standin.wait_for("chat.postMessage", count=3, timeout=0.1)
    assert standin.call_count("chat.postMessage") == 3
    assert standin.rate_limited("chat.postMessage") == 1
