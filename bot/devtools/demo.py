"""`python -m bot demo`: a week of support played against the local Slack stand-in.

Real signed Slack traffic goes to the real app over HTTP; the desk's clock runs fast in
steps and skips the quiet weekend, so pings, the on-call flow and a breach happen within
half a minute of real time, and the same way on every run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pendulum
from pendulum import DateTime
from slack_sdk import WebClient

from bot.cli.report import render_report
from bot.clock import ManualClock
from bot.devtools.actors import Actors
from bot.devtools.demo_connect import Customers, add_customers
from bot.devtools.demo_outage import PEOPLE, POLL_SECONDS
from bot.devtools.demo_scenes import Scenes
from bot.devtools.demo_stage import Stage
from bot.devtools.harness import BOT_TOKEN, CAST, Harness
from bot.devtools.render import Names, fit_table, wrap
from bot.devtools.standin import SlackStandIn
from bot.devtools.status_feed import StatusPageStandIn
from bot.devtools.timeline import WIDTH, Timeline

# A Friday 20 minutes before the desk closes for the weekend.
DEFAULT_START = pendulum.datetime(2026, 11, 20, 20, 40, tz="America/New_York")
DEFAULT_SPEED = 300.0
CHANNELS = (CAST.support_channel, CAST.oncall_channel, CAST.escalation_channel, CAST.email_channel)
CHANNEL_GUIDE = (
    "Channels: the desk's own #support (requests), #support-oncall (Critical ones), "
    "#support-escalations (breaches) and #support-email (forwarded emails); shared with "
    "customers through Slack Connect, the customer's side: #ext-acme-support (Acme) and "
    "#ext-initech-support (Initech)."
)


@dataclass(frozen=True)
class DemoOptions:
    start: DateTime = DEFAULT_START
    speed: float = DEFAULT_SPEED
    keep: Path | None = None  # where to keep the SQLite database; None: a temporary file
    out: TextIO = sys.stdout


def run_demo(options: DemoOptions) -> int:
    """Play the scenario; print the timeline and the SLA report; 0 when it all happened."""
    folder: Path | None = None
    if options.keep:
        database = options.keep
    else:
        folder = Path(tempfile.mkdtemp(prefix="kustomer-demo-"))
        database = folder / "demo.db"
    try:
        at = _play(options, database_url=f"sqlite:///{database}")
        print_report(f"sqlite:///{database}", options.out, at=at)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    last = f"Database kept at {database}" if options.keep else f"Database {database} removed."
    print(f"\n{last}", file=options.out, flush=True)
    return 0


def _play(options: DemoOptions, *, database_url: str) -> DateTime:
    """Start the bot, play every scene, stop the bot; returns the desk's time at the end."""
    clock = ManualClock(options.start)
    page = StatusPageStandIn().start()  # the vendor's status page, quiet until the outage
    harness = Harness(
        database_url=database_url,
        clock=clock,
        status_page_url=page.url,
        status_poll_seconds=POLL_SECONDS,
    )
    for user_id in PEOPLE:
        harness.standin.add_user(user_id, name=PEOPLE[user_id].split()[0], is_admin=True)
    customers = add_customers(harness.standin)
    try:
        timezone = harness.settings.business_timezone
        _print(options.out, *banner(options, database_url, harness, customers))
        timeline = Timeline(
            standin=harness.standin,
            names=workspace_names(harness.standin, customers),
            timezone=timezone,
            now=clock.now,
            out=options.out,
        )
        stage = Stage(harness, clock, timeline, speed=options.speed)
        actors = Actors(
            harness.driver,
            harness.standin,
            root_channels=(CAST.support_channel, CAST.oncall_channel),
        )
        Scenes(stage, actors, page, customers).play()
        timeline.flush()
    finally:
        harness.stop()
        page.stop()
    return clock.now()


def workspace_names(standin: SlackStandIn, customers: Customers) -> Names:
    """What the stand-in's directory calls the cast, its user groups and its channels."""
    client = WebClient(token=BOT_TOKEN, base_url=standin.base_url)
    people = [*CAST.names, *PEOPLE, *customers.people]
    users = {uid: str(client.users_info(user=uid)["user"]["name"]) for uid in people}
    groups = client.usergroups_list()["usergroups"]
    channels = {
        cid: str(client.conversations_info(channel=cid)["channel"]["name"])
        for cid in (*CHANNELS, *customers.channels)
    }
    return Names(
        users=users,
        groups={str(group["id"]): str(group["handle"]) for group in groups},
        channels=channels,
    )


def print_report(database_url: str, out: TextIO, *, at: DateTime) -> None:
    """The SLA report over what the demo filed, as of the desk's time at the end."""
    blocks = render_report(database_url, at=at).split("\n\n")
    fitted = ["\n".join(fit_table(block.split("\n"), width=WIDTH)) for block in blocks]
    print("\n== SLA report", file=out)
    print("\n\n".join(fitted), file=out, flush=True)


def banner(
    options: DemoOptions, database_url: str, harness: Harness, customers: Customers
) -> list[str]:
    """What the demo is, where its database is, who plays, where, and the desk's hours."""
    timezone = harness.settings.business_timezone
    start = options.start.in_timezone(timezone).format("dddd D MMMM YYYY HH:mm zz")
    database = database_url.removeprefix("sqlite:///")
    fate = "kept" if options.keep else "removed at the end; --keep PATH keeps it"
    lines = [
        "Kustomer support bot — offline demo",
        f"Desk clock from {start}, {options.speed:g}x real time; Slack is a local stand-in.",
        f"Database: {database} ({fate}).",
        "People: " + ", ".join([*CAST.names.values(), *PEOPLE.values()]) + ".",
        "Of customer organisations, in Slack Connect channels: "
        + ", ".join(customers.people.values())
        + ".",
        CHANNEL_GUIDE,
        f"Business hours: {harness.runtime.desk.policy.calendar.describe()}; times are {timezone}.",
    ]
    return [out for line in lines for out in wrap(line, width=WIDTH)]


def _print(out: TextIO, *lines: str) -> None:
    for line in lines:
        print(line, file=out, flush=True)
