"""The stand-in speaks the Web API as slack_sdk's WebClient expects it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.devtools import SlackStandIn

from .blockkit import modal, plain, section
from .conftest import TOKEN


def _post(url: str, body: bytes, content_type: str, token: str | None = TOKEN) -> dict[str, object]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        decoded: dict[str, object] = json.loads(response.read())
        return decoded


def test_post_message_with_blocks_sent_as_json(standin: SlackStandIn, client: WebClient) -> None:
    blocks = [section("Request *#1*")]
    first = client.chat_postMessage(channel="C_SUPPORT", text="Request #1", blocks=blocks)
    second = client.chat_postMessage(channel="C_SUPPORT", text="reply", thread_ts=first["ts"])
    assert first["ok"] and first["channel"] == "C_SUPPORT"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == blocks
    call = standin.calls_to("chat.postMessage")[0]
    assert call.params["blocks"] == blocks
    messages = standin.messages("C_SUPPORT")
    assert [(m["text"], m["thread_ts"], m["user"]) for m in messages] == [
        ("Request #1", None, "UBOT"),
        ("reply", first["ts"], "UBOT"),
    ]
    assert standin.thread("C_SUPPORT", first["ts"]) == messages


def test_auth_test_via_query_string(standin: SlackStandIn, client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == "UBOT" and answer["team_id"] == "T0001"
    assert answer["bot_id"].startswith("B") and answer["url"].startswith("https://")
    url = f"{standin.base_url}auth.test?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert json.loads(response.read())["ok"] is True


def test_form_encoded_call_decodes_json_strings(standin: SlackStandIn) -> None:
    blocks = json.dumps([section("from a form")])
    body = urllib.parse.urlencode({"channel": "C_SUPPORT", "blocks": blocks, "text": "f"})
    answer = _post(
        f"{standin.base_url}chat.postMessage", body.encode(), "application/x-www-form-urlencoded"
    )
    assert answer["ok"] is True
    assert standin.messages("C_SUPPORT")[0]["blocks"] == [section("from a form")]


def test_form_encoded_view_and_token_param(standin: SlackStandIn) -> None:
    body = urllib.parse.urlencode(
        {"token": TOKEN, "trigger_id": "t-form", "view": json.dumps(modal())}
    )
    answer = _post(
        f"{standin.base_url}views.open", body.encode(), "application/x-www-form-urlencoded", None
    )
    assert answer["ok"] is True
    assert "token" not in standin.calls_to("views.open")[0].params


def test_bad_token_and_missing_token(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as bad:
        WebClient(token="xoxb-wrong", base_url=standin.base_url).auth_test()
    assert bad.value.response["error"] == "invalid_auth"
    answer = _post(f"{standin.base_url}auth.test", b"{}", "application/json", None)
    assert answer == {"ok": False, "error": "not_authed"}


def test_unknown_method_is_http_200(standin: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        client.api_call("files.teleport", json={})
    assert failure.value.response.status_code == 200
    assert failure.value.response["error"] == "unknown_method"


def test_invalid_message_blocks_are_rejected(standin: SlackStandIn, client: WebClient) -> None:
    header = {"type": "header", "text": plain("h" * 151)}
    with pytest.raises(SlackApiError) as failure:
        client.chat_postMessage(channel="C_SUPPORT", text="x", blocks=[header])
    response = failure.value.response
    assert response.status_code == 200 and response["error"] == "invalid_blocks"
    assert response["errors"] == [
        "must be at most 150 characters (got 151) [json-pointer:/blocks/0/text/text]"
    ]
    assert standin.messages("C_SUPPORT") == []
    assert standin.calls_to("chat.postMessage")[0].error == "invalid_blocks"


def test_message_without_content_and_too_long(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as empty:
        client.api_call("chat.postMessage", json={"channel": "C_SUPPORT", "text": ""})
    assert empty.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as long:
        client.chat_postMessage(channel="C_SUPPORT", text="x" * 40_001)
    assert long.value.response["error"] == "msg_too_long"


def test_invalid_modal_is_rejected(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        client.views_open(trigger_id="t1", view=modal(title=plain("x" * 25)))
    response = failure.value.response
    assert response["error"] == "invalid_arguments"
    assert response["response_metadata"]["messages"] == [
        "[ERROR] must be at most 24 characters (got 25) [json-pointer:/view/title/text]"
    ]


def test_rate_limit_retry_after_is_honoured(standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        token=TOKEN, base_url=standin.base_url, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    answer = client.chat_postMessage(channel="C_SUPPORT", text="after a 429")
    assert answer["ok"] is True
    statuses = [(c.status, c.error) for c in standin.calls_to("chat.postMessage")]
    assert statuses == [(429, "ratelimited"), (200, None)]
    assert len(standin.messages("C_SUPPORT")) == 1


def test_rate_limit_response_shape(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as failure:
        client.users_info(user="UADMIN")
    response = failure.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] in ("7", ["7"])
    assert response["error"] == "ratelimited"


def test_server_error_then_success(standin: SlackStandIn) -> None:
    standin.fail_next("chat.update", status=500, count=2)
    client = WebClient(
        token=TOKEN,
        base_url=standin.base_url,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )
    root = client.chat_postMessage(channel="C_SUPPORT", text="v1")
    answer = client.chat_update(channel="C_SUPPORT", ts=root["ts"], text="v2")
    assert answer["ok"] is True
    assert [c.status for c in standin.calls_to("chat.update")] == [500, 500, 200]
    assert standin.messages("C_SUPPORT")[0]["text"] == "v2"


def test_stall_delays_only_the_next_call(standin: SlackStandIn, client: WebClient) -> None:
    standin.stall_next("auth.test", 0.3)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_stall_longer_than_client_timeout(standin: SlackStandIn) -> None:
    standin.stall_next("chat.postMessage", 0.6)
    # urllib takes float timeouts although WebClient's hint says int.
    impatient = WebClient(token=TOKEN, base_url=standin.base_url, timeout=0.2)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C_SUPPORT", text="slow")
    # The stand-in still processes the stalled call, as Slack might after a client timeout.
    standin.wait_for("chat.postMessage", timeout=2)


def test_invalid_json_and_unknown_path(standin: SlackStandIn) -> None:
    answer = _post(f"{standin.base_url}chat.postMessage", b"{not json", "application/json")
    assert answer == {"ok": False, "error": "invalid_json"}
    root = standin.base_url.removesuffix("api/")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{root}elsewhere", timeout=5)
    with missing.value:
        assert missing.value.code == 404


def test_a_failing_listener_does_not_cost_the_answer(
    standin: SlackStandIn, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(call: object) -> None:
        raise RuntimeError("listener bug")

    standin.add_listener(explode)
    assert client.auth_test()["ok"]
    assert "listener failed" in caplog.text


def test_concurrent_posts_get_unique_increasing_ts(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.set_rate_limits(False)  # 40 posts at once to one channel: Slack would refuse most
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda i: client.chat_postMessage(channel="C_SUPPORT", text=str(i)), range(40))
        )
    stamps = [answer["ts"] for answer in answers]
    assert len(set(stamps)) == 40
    stored = [message["ts"] for message in standin.messages("C_SUPPORT")]
    assert stored == sorted(stored, key=float) and set(stored) == set(stamps)
    assert len(standin.calls_to("chat.postMessage")) == 40
