"""Wires settings into a running desk: clock, database, Slack client, Bolt app, WSGI app."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import text

from bot.clock import Clock, SimulatedClock, SystemClock
from bot.config import Settings
from bot.db.engine import Database
from bot.db.metrics_repo import count_open
from bot.db.migrate import ensure_schema
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.metrics import OpenCounts, OpenRequestsCollector, install_collector, uninstall_collector
from bot.scheduler import Scheduler
from bot.services.accounts import account_by_id, is_shared_channel
from bot.services.desk import Desk, Records, Routing
from bot.services.status_queries import request_outage
from bot.slack.app import build_app, listener_pool, make_client
from bot.slack.deps import SlackDeps
from bot.slack.directory import SlackDirectory
from bot.slack.home_refresh import HomePublisher, HomeRefreshQueue
from bot.slack.messenger import SlackMessenger
from bot.slack.outage_messenger import SlackOutageBoard
from bot.slack.pacing import ChannelPacer
from bot.slack.refresh_queue import RootRefreshQueue
from bot.slack.sender import NoticeSender
from bot.slack.server import BotWsgiApp
from bot.slack.shared_messenger import SlackSharedChannels
from bot.status.poller import StatusPoller
from bot.status.wiring import start_status_poller

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """Everything a running bot is made of."""

    settings: Settings
    clock: Clock
    db: Database
    client: WebClient
    desk: Desk
    messenger: SlackMessenger
    app: App
    wsgi: BotWsgiApp
    scheduler: Scheduler
    listeners: ThreadPoolExecutor
    status_poller: StatusPoller | None = None  # runs while STATUS_PAGE_URL is set
    open_requests: OpenRequestsCollector | None = None  # /metrics' gauges, read at scrape time
    root_refreshes: RootRefreshQueue | None = None  # breached roots rewritten off the tick

    def close(self) -> None:
        """Stop the scheduler, let running listeners finish, release the database."""
        if self.status_poller is not None:
            self.status_poller.stop()
        self.scheduler.stop()
        if self.root_refreshes is not None:
            self.root_refreshes.stop()
        self.listeners.shutdown(wait=True)
        if self.open_requests is not None:
            uninstall_collector(self.open_requests)
        self.db.dispose()


def make_clock(settings: Settings) -> Clock:
    """The system clock, or a simulated one when BOT_CLOCK_START/BOT_CLOCK_SPEED say so."""
    if not settings.simulated_clock:
        return SystemClock()
    start = settings.clock_start or SystemClock().now()
    log.warning(
        "SIMULATED CLOCK: time starts at %s and runs %sx real time. Not for production.",
        start.to_iso8601_string(),
        settings.bot_clock_speed,
    )
    return SimulatedClock(start, settings.bot_clock_speed)


def routing_from(settings: Settings) -> Routing:
    """The channels and groups the desk works with (settings.require_slack() checked them)."""
    return Routing(
        support_channel_id=settings.support_channel_id or "",
        oncall_channel_id=settings.oncall_channel_id or "",
        escalation_channel_id=settings.escalation_channel_id or "",
        support_group_id=settings.support_usergroup_id or "",
        oncall_group_id=settings.oncall_usergroup_id or "",
        email_intake_channel_id=settings.email_intake_channel_id,
    )


def build_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    """Check the settings and the schema, then build the whole bot (not yet serving)."""
    settings.require_slack()
    clock = clock or make_clock(settings)
    ensure_schema(settings.database_url)
    db = Database.from_url(settings.database_url)
    client = make_client(token=settings.secret("SLACK_BOT_TOKEN"), base_url=settings.slack_api_url)
    executor = listener_pool()
    desk, deps = _desk(settings, clock, db, client, executor)
    app = build_app(
        deps=deps,
        client=client,
        signing_secret=settings.secret("SLACK_SIGNING_SECRET"),
        executor=executor,
    )
    wsgi = BotWsgiApp(
        app,
        health=lambda: _database_answers(db),
        signing_secret=settings.secret("SLACK_SIGNING_SECRET"),
    )
    root_refreshes = RootRefreshQueue(db=db, messenger=deps.messenger)
    scheduler = _scheduler(settings, desk, deps.messenger, root_refreshes)
    return Runtime(
        settings,
        clock,
        db,
        client,
        desk,
        deps.messenger,
        app,
        wsgi,
        scheduler,
        executor,
        status_poller=start_status_poller(settings, db, client, board=desk.outages),
        open_requests=_open_requests_metrics(db),
        root_refreshes=root_refreshes,
    )


def _desk(
    settings: Settings, clock: Clock, db: Database, client: WebClient, executor: Executor
) -> tuple[Desk, SlackDeps]:
    """The desk and what the listeners need, wired once, in this order: no late binding."""
    routing = routing_from(settings)
    policy = SlaPolicy(settings.business_calendar(), settings.reminder_fraction_values)
    directory = _directory(settings, client, clock, routing)
    vendor = settings.status_page_url is not None  # vendor incidents show only with a page
    homes = HomePublisher(client=client, records=Records(db, clock, policy, directory, vendor))
    messenger = SlackMessenger(
        client=client,
        routing=routing,
        clock=clock,
        policy=policy,
        pacer=_pacer(settings, db),
        homes=HomeRefreshQueue(homes, executor).refresh_soon,
        outages=partial(request_outage, db) if vendor else None,
        accounts=partial(account_by_id, db),
        shared=partial(is_shared_channel, db),
    )
    board = _outage_board(settings, db, client, messenger) if vendor else None
    desk = Desk(db, clock, policy, routing, messenger, directory, outages=board)
    deps = SlackDeps(
        desk=desk,
        messenger=messenger,
        directory=directory,
        homes=homes,
        plan_tier=settings.plan_tier,
        support_email=settings.support_email or "",
    )
    return desk, deps


def _directory(
    settings: Settings, client: WebClient, clock: Clock, routing: Routing
) -> SlackDirectory:
    return SlackDirectory(
        client=client,
        clock=clock,
        support_group_id=routing.support_group_id,
        oncall_group_id=routing.oncall_group_id,
        chat_admin_group_id=settings.chat_admin_usergroup_id,
    )


def _outage_board(
    settings: Settings, db: Database, client: WebClient, messenger: SlackMessenger
) -> SlackOutageBoard:
    """One page per outage in the on-call channel, and the notes in linked conversations."""
    return SlackOutageBoard(
        client=client,
        channel_id=settings.oncall_channel_id or "",
        pacer=_pacer(settings, db),
        messenger=messenger,
    )


def _pacer(settings: Settings, db: Database) -> ChannelPacer:
    """Turns per channel and the workspace-wide budget for posts, shared through `db`."""
    return ChannelPacer(
        db,
        interval=settings.channel_pace_seconds,
        workspace_per_minute=settings.workspace_posts_per_minute,
    )


def _scheduler(
    settings: Settings, desk: Desk, messenger: SlackMessenger, roots: RootRefreshQueue
) -> Scheduler:
    """The scheduler, announcing in Slack through the messenger."""
    sender = NoticeSender(
        messenger=messenger,
        routing=desk.routing,
        clock=desk.clock,
        stale_roots=lambda request_id: roots.mark_stale([request_id]),
    )
    return Scheduler(
        desk,
        sender,
        tick_seconds=settings.scheduler_tick_seconds,
        batch_size=settings.scheduler_batch_size,
        lease=timedelta(seconds=settings.scheduler_lease_seconds),
        key_retention=timedelta(days=settings.idempotency_retention_days),
        shared=SlackSharedChannels(
            client=messenger.client,
            pacer=messenger.pacer,
            clock=desk.clock,
            policy=desk.policy,
            support_channel_id=desk.routing.support_channel_id,
        ),
    )


def _open_requests_metrics(db: Database) -> OpenRequestsCollector:
    """Open requests and breaches per priority for /metrics: one grouped query per scrape."""

    def counts() -> dict[str, OpenCounts]:
        return {p.value: OpenCounts(*found) for p, found in count_open(db).items()}

    collector = OpenRequestsCollector(counts, [priority.value for priority in Priority])
    install_collector(collector)
    return collector


def _database_answers(db: Database) -> bool:
    with db.session() as session:
        return session.connection().execute(text("SELECT 1")).scalar() == 1
