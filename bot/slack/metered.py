"""A Web API client that counts its calls, its errors and the 429s Slack answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.metrics import SLACK_API_CALLS, SLACK_API_ERRORS, SLACK_RATE_LIMITED


class MeteredWebClient(WebClient):
    """Counts every Web API call by method, and the failed ones by method and error code."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        SLACK_API_CALLS.labels(api_method).inc()
        try:
            return super().api_call(api_method, **kwargs)
        except Exception as error:
            SLACK_API_ERRORS.labels(api_method, error_code(error)).inc()
            raise


def error_code(error: Exception) -> str:
    """Slack's error code (`channel_not_found`, `ratelimited`), else the exception's type."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        return str(code or f"http_{error.response.status_code}")
    return type(error).__name__


class CountingRateLimitHandler(RateLimitErrorRetryHandler):
    """Waits out Retry-After like the stock handler, and counts every 429, retried or not."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            SLACK_RATE_LIMITED.labels(method_of(request.url)).inc()
        return super().can_retry(state=state, request=request, response=response, error=error)


def method_of(url: str) -> str:
    """The Web API method a request's URL names (`.../api/chat.postMessage?x=1`)."""
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def share_client(app: App, client: WebClient) -> None:
    """Hand the listeners the app's own (metered) client instead of Bolt's per-request copy.

    Bolt builds a plain WebClient for every request; the bot has one workspace and one
    token, so the shared client is the same client, only counted.
    """

    def use_shared_client(context: BoltContext, next_: Callable[[], BoltResponse]) -> BoltResponse:
        context["client"] = client
        return next_()

    app.use(use_shared_client)
