"""A local Slack Web API stand-in on loopback, for the demo and end-to-end tests."""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from bot.devtools.netenv import bypass_proxies_for_loopback
from bot.devtools.standin_connect import ConnectSetup, person_message, share
from bot.devtools.standin_directory import make_user
from bot.devtools.standin_email import Address, email_file, post_email
from bot.devtools.standin_http import CallListener, Dispatcher, StandInServer
from bot.devtools.standin_limits import Limit, RateLimitControls, RateLimiter
from bot.devtools.standin_queries import StandInQueries
from bot.devtools.standin_state import (
    Failure,
    RecordedCall,
    StandInState,
    Workspace,
    make_channel,
)

__all__ = ["Limit", "RecordedCall", "SlackStandIn"]


class SlackStandIn(StandInQueries, RateLimitControls, ConnectSetup):
    """Answers Slack Web API methods at http://127.0.0.1:PORT/api/<method> and records them.

    Slack's rate limits are enforced unless `rate_limits=False` (see standin_limits.py).
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        users: Iterable[Mapping[str, Any]] | None = None,
        usergroups: Mapping[str, Iterable[str]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: bool = True,
    ) -> None:
        workspace = Workspace(team_id=team_id, bot_user_id=bot_user_id, bot_id="B0STANDIN")
        super().__init__(StandInState(workspace, limiter=RateLimiter(enabled=rate_limits)))
        self.bot_token = bot_token
        self._dispatcher = Dispatcher(self._state, bot_token)
        self._address = (host, port)
        self._server: StandInServer | None = None
        self._thread: threading.Thread | None = None
        self.add_user(bot_user_id, name="support-bot", is_bot=True)
        for user in users or ():
            fields = dict(user)
            user_id = fields.pop("id", None) or fields.pop("user_id")
            self.add_user(str(user_id), **fields)
        for group_id, members in (usergroups or {}).items():
            self.add_usergroup(group_id, group_id.lower(), members)

    # Lifecycle

    def start(self) -> SlackStandIn:
        """Bind the port and serve in a background thread."""
        if self._server is not None:
            return self
        bypass_proxies_for_loopback()
        self._server = StandInServer(self._address, self._dispatcher)
        # Keep the port, so a stop()/start() pair can stage a Slack outage at the same URL.
        self._address = (self._address[0], int(self._server.server_address[1]))
        self._thread = threading.Thread(
            # A short poll interval keeps stop() fast; it is what shutdown() waits on.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port (known once started; kept across stop/start)."""
        if self._address[1] == 0:
            raise RuntimeError("SlackStandIn has not been started yet")
        return self._address[1]

    @property
    def base_url(self) -> str:
        """The Web API base URL to give `WebClient(base_url=...)`."""
        return f"http://{self._address[0]}:{self.port}/api/"

    @property
    def response_url_base(self) -> str:
        """Prefix for response_urls served by the stand-in (give it to `SlackDriver`)."""
        return f"http://{self._address[0]}:{self.port}/response/"

    # Workspace setup

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        is_bot: bool = False,
        tz: str = "America/New_York",
        email: str | None = None,
        real_name: str | None = None,
        team_id: str | None = None,
    ) -> None:
        """Add (or replace) a user; team_id defaults to the workspace's (Slack Connect: other)."""
        user = make_user(
            user_id,
            name=name,
            team_id=team_id or self._state.workspace.team_id,
            is_admin=is_admin,
            is_owner=is_owner,
            is_primary_owner=is_primary_owner,
            is_bot=is_bot,
            tz=tz,
            email=email,
            real_name=real_name,
        )
        with self._state.lock:
            self._state.workspace.users[user_id] = user

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        """Add (or replace) a user group."""
        group = {
            "id": group_id,
            "team_id": self._state.workspace.team_id,
            "handle": handle,
            "name": handle,
            "users": list(members),
        }
        with self._state.lock:
            self._state.workspace.usergroups[group_id] = group

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_member: bool = True,
        is_private: bool = False,
        is_ext_shared: bool = False,
        shared_with: Iterable[str] = (),
    ) -> None:
        """Declare a channel; with is_member=False, posting answers not_in_channel.

        `shared_with`: other organisations' team ids, making it a Slack Connect channel.
        """
        channel = make_channel(
            channel_id,
            name,
            is_member=is_member,
            is_private=is_private,
            is_ext_shared=is_ext_shared,
        )
        with self._state.lock:
            if shared_with:
                share(self._state.workspace, channel, shared_with)
            self._state.workspace.channels[channel_id] = channel

    def add_message(
        self,
        channel_id: str,
        *,
        user: str,
        text: str,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> str:
        """Seed a message written by a person (for replies/history/permalinks); return its ts."""
        with self._state.lock:
            return person_message(
                self._state.workspace,
                channel_id,
                user=user,
                text=text,
                thread_ts=thread_ts,
                blocks=blocks,
            )

    def add_email(
        self,
        channel_id: str,
        *,
        subject: str | None,
        sender: Address | None,
        plain_text: str | None,
        text: str = "",
        subtype: str | None = "file_share",
    ) -> dict[str, Any]:
        """Post an email as Slack's email integration does; return the message as stored."""
        with self._state.lock:
            ws = self._state.workspace
            file = email_file(ws, subject=subject, sender=sender, plain_text=plain_text)
            return copy.deepcopy(post_email(ws, channel_id, file=file, text=text, subtype=subtype))

    def add_listener(self, listener: CallListener) -> None:
        """Call `listener(call)` after every answered call (from the server's threads)."""
        self._dispatcher.listeners.append(listener)

    # Fault injection

    def fail_next(
        self, method: str, *, status: int = 429, retry_after: int = 1, count: int = 1
    ) -> None:
        """Answer the next `count` calls to `method` with HTTP `status` (429 adds Retry-After)."""
        failure = Failure(status=status, retry_after=retry_after if status == 429 else None)
        with self._state.lock:
            self._state.failures.setdefault(method, deque()).extend([failure] * count)

    def recover(self, method: str) -> None:
        """Forget the failures still queued for `method`: Slack is back."""
        with self._state.lock:
            self._state.failures.pop(method, None)

    def stall_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Sleep `seconds` before answering each of the next `count` calls to `method`."""
        with self._state.lock:
            self._state.stalls.setdefault(method, deque()).extend([seconds] * count)
