"""Builds the Bolt app: listeners by interaction type, and the one error handler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from slack_bolt import Ack, App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.logs import log_fields
from bot.slack import redelivery
from bot.slack.deps import SlackDeps
from bot.slack.forms import FilingMetadata
from bot.slack.listeners import (
    actions,
    commands,
    events,
    filing_area,
    home,
    shared_channels,
    views,
)
from bot.slack.metered import CountingRateLimitHandler, MeteredWebClient, share_client

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment."


def make_client(*, token: str, base_url: str, logger: logging.Logger | None = None) -> WebClient:
    """A Web API client that waits out 429 Retry-After and retries 5xx a bounded number of times."""
    return MeteredWebClient(
        token=token,
        base_url=base_url,
        timeout=10,
        logger=logger,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            CountingRateLimitHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


P = ParamSpec("P")
T = TypeVar("T")


class ListenerPool(ThreadPoolExecutor):
    """Bolt's listener executor, which can also tell when every listener it was given is done."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._idle = threading.Condition()
        self._running = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._idle:
            self._running += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no listener is queued or running; False if `timeout` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout)

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._running -= 1
            if self._running == 0:
                self._idle.notify_all()


def listener_pool() -> ListenerPool:
    """Where listeners run after their ack (Bolt's default of 5 threads is too few)."""
    return ListenerPool(max_workers=32)


def build_app(
    *, deps: SlackDeps, client: WebClient, signing_secret: str, executor: ThreadPoolExecutor
) -> App:
    """The Bolt app with every listener registered and one error handler."""
    app = App(
        client=client,
        signing_secret=signing_secret,
        listener_executor=executor,
        ignoring_self_events_enabled=True,
    )
    share_client(app, client)  # listeners call Slack through the metered client too
    app.middleware(_keep_the_ack)
    redelivery.register(app, deps)
    commands.register(app, deps)
    views.register(app, deps)
    actions.register(app, deps)
    filing_area.register(app, deps)
    shared_channels.register(app, deps)
    events.register(app, deps)
    home.register(app, deps)
    app.error(_make_error_handler(client))
    return app


class _KeptAck(Ack):
    """An ack that a failure after it cannot take back.

    When a listener fails after ack(), Bolt resets the ack's response to None; if that
    happens before Bolt's request thread saw the ack (it looks every 10 ms), the thread
    waits out its three seconds and answers 404. The person was answered: keep it so.
    """

    def __init__(self) -> None:  # all Ack's own does: no response yet
        self._response: BoltResponse | None = None

    @property
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or self._response is None:
            self._response = value


def _keep_the_ack(context: BoltContext, next_: Callable[[], BoltResponse]) -> BoltResponse:
    context["ack"] = _KeptAck()
    return next_()


def _make_error_handler(client: WebClient) -> Any:
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        """Log once with context; tell the person something went wrong, never the trace."""
        place = _where(body)
        log.error(
            "listener failed (%s, user=%s, channel=%s)",
            place.kind,
            place.user_id,
            place.channel_id,
            exc_info=error,
            extra=log_fields(team=_team_of(body), channel=place.channel_id),
        )
        if place.user_id:
            _apologise(client, place.user_id, place)
        return None

    return handle_error


@dataclass(frozen=True)
class _Place:
    """What failed, for whom, and where that person can be told."""

    kind: str
    user_id: str | None
    channel_id: str | None
    thread_ts: str | None


def _where(body: Any) -> _Place:
    """Read defensively: the error may be that the body is not what Slack promised."""
    body = _dict(body)
    event = _dict(body.get("event"))
    container = _dict(body.get("container"))
    view = _dict(body.get("view"))
    # A modal submission has no channel: the filing modal remembers where filing began.
    metadata = view.get("private_metadata")
    origin = FilingMetadata.loads(metadata if isinstance(metadata, str) else None)
    channel = _text(
        _dict(body.get("channel")).get("id"),
        body.get("channel_id"),
        event.get("channel"),
        container.get("channel_id"),
        origin.origin_channel_id,
    )
    return _Place(
        kind=_text(body.get("command"), event.get("type"), body.get("type")) or "unknown",
        user_id=_text(_dict(body.get("user")).get("id"), body.get("user_id"), event.get("user")),
        channel_id=channel,
        thread_ts=_text(container.get("thread_ts"), event.get("thread_ts")),
    )


def _apologise(client: WebClient, user_id: str, place: _Place) -> None:
    """A short ephemeral apology where the person acted, or a direct message."""
    try:
        if place.channel_id:
            client.chat_postEphemeral(
                channel=place.channel_id,
                user=user_id,
                text=APOLOGY,
                thread_ts=place.thread_ts,
            )
        else:
            client.chat_postMessage(channel=user_id, text=APOLOGY)
    except Exception:
        log.warning("could not apologise to %s in %s", user_id, place.channel_id or "a DM")


def _team_of(body: Any) -> str | None:
    """The workspace a payload came from, for the log record's fields."""
    team = _dict(_dict(body).get("team")).get("id") or _dict(body).get("team_id")
    return team if isinstance(team, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(*candidates: Any) -> str | None:
    """The first candidate that is a non-empty string of a sane length (ids, ts, names)."""
    return next((c for c in candidates if isinstance(c, str) and 0 < len(c) <= 255), None)
