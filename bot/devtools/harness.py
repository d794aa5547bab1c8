"""A whole bot on loopback: the Slack stand-in, the app served over real HTTP, a driver.

Used by the end-to-end tests and by `python -m bot demo`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from waitress import wasyncore

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.devtools.connect_cast import CustomerOrg, add_customer_org
from bot.devtools.driver import SlackDriver
from bot.devtools.standin import SlackStandIn
from bot.runtime import Runtime, build_runtime
from bot.slack.server import make_server

SIGNING_SECRET = "standin-signing-secret"
BOT_TOKEN = "xoxb-standin"
TEAM_ID = "T0001"


@dataclass(frozen=True)
class Cast:
    """The people and places of the stand-in workspace."""

    admin: str = "U0ADA"
    customer: str = "U0CARL"
    engineer: str = "U0ERIN"
    engineer2: str = "U0ELI"
    oncall: str = "U0OLGA"
    # In the on-call group only: on-call is part of the desk without being in support.
    oncall_only: str = "U0OSCAR"
    support_channel: str = "C0SUPPORT"
    oncall_channel: str = "C0ONCALL"
    escalation_channel: str = "C0ESCALATE"
    email_channel: str = "C0EMAIL"
    support_group: str = "S0SUPPORT"
    oncall_group: str = "S0ONCALL"

    names: dict[str, str] = field(
        default_factory=lambda: {
            "U0ADA": "ada (customer admin)",
            "U0CARL": "carl (customer)",
            "U0ERIN": "erin (support)",
            "U0ELI": "eli (support)",
            "U0OLGA": "olga (on-call)",
            "U0OSCAR": "oscar (on-call only)",
        }
    )


CAST = Cast()


def populate(standin: SlackStandIn, cast: Cast = CAST) -> None:
    """Users, user groups and channels of the stand-in workspace."""
    standin.add_user(cast.admin, name="ada", is_admin=True)
    standin.add_user(cast.customer, name="carl")
    standin.add_user(cast.engineer, name="erin")
    standin.add_user(cast.engineer2, name="eli")
    standin.add_user(cast.oncall, name="olga")
    standin.add_user(cast.oncall_only, name="oscar")
    standin.add_usergroup(
        cast.support_group, "support", [cast.engineer, cast.engineer2, cast.oncall]
    )
    standin.add_usergroup(cast.oncall_group, "oncall", [cast.oncall, cast.oncall_only])
    standin.add_channel(cast.support_channel, "support")
    standin.add_channel(cast.oncall_channel, "support-oncall")
    standin.add_channel(cast.escalation_channel, "support-escalations")
    standin.add_channel(cast.email_channel, "support-email")


def harness_settings(standin: SlackStandIn, *, database_url: str, **overrides: Any) -> Settings:
    """Settings pointing the bot at the stand-in."""
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": None,
        "slack_api_url": standin.base_url,
        "database_url": database_url,
        "support_channel_id": CAST.support_channel,
        "oncall_channel_id": CAST.oncall_channel,
        "escalation_channel_id": CAST.escalation_channel,
        "email_intake_channel_id": CAST.email_channel,
        "support_usergroup_id": CAST.support_group,
        "oncall_usergroup_id": CAST.oncall_group,
        "support_email": "support@kustomer.example",
        "scheduler_tick_seconds": 0.2,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


class Harness:
    """Stand-in + app over HTTP (waitress on loopback) + signed driver."""

    def __init__(
        self,
        *,
        database_url: str,
        clock: Clock | None = None,
        rate_limits: bool = True,
        **overrides: Any,
    ):
        """`rate_limits=False` lets the stand-in answer every call at once (unit-speed tests)."""
        self.standin = SlackStandIn(
            bot_token=BOT_TOKEN, team_id=TEAM_ID, rate_limits=rate_limits
        ).start()
        populate(self.standin)
        self.settings = harness_settings(self.standin, database_url=database_url, **overrides)
        self.runtime: Runtime = build_runtime(self.settings, clock=clock)
        self.server = make_server(self.runtime.wsgi, host="127.0.0.1", port=0)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="app-http", daemon=True)
        self._thread.start()
        port = self.server.effective_port
        self.driver = SlackDriver(
            base_url=f"http://127.0.0.1:{port}/slack/events",
            signing_secret=SIGNING_SECRET,
            team_id=TEAM_ID,
            response_url_base=self.standin.response_url_base,
            directory=self.standin,
        )
        self.app_url = f"http://127.0.0.1:{port}"

    @property
    def cast(self) -> Cast:
        return CAST

    @property
    def clock(self) -> Clock:
        """The bot's clock (a ManualClock in the end-to-end tests)."""
        return self.runtime.clock

    def add_customer_org(self, **ids: str) -> CustomerOrg:
        """A customer organisation sharing a Slack Connect channel with the desk (connect_cast)."""
        return add_customer_org(self.standin, **ids)

    def start_scheduler(self) -> None:
        self.runtime.scheduler.start()

    def stop(self) -> None:
        """Stop the scheduler, the HTTP server and the stand-in; release the database."""
        # Let waitress's worker threads finish the responses they are writing first: closing
        # the server under them makes them fail on its closed trigger socket.
        self.server.task_dispatcher.shutdown()
        self._stopping.set()
        self._thread.join(timeout=5)
        self.runtime.close()
        self.standin.stop()

    def _serve(self) -> None:
        """Waitress's loop, polled briefly so stop() is quick; its sockets close in this thread.

        Closing them from another thread races with the poll (EBADF), and the stock loop
        only notices a close when its one-second poll returns.
        """
        server = self.server
        try:
            while not self._stopping.is_set():
                server.asyncore.loop(
                    timeout=0.05, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1
                )
        finally:
            server.close()
            wasyncore.close_all(server._map)
