"""`run`: serve Slack over HTTP (or Socket Mode when SLACK_APP_TOKEN is set)."""

from __future__ import annotations

import argparse
import logging

from bot.cli.startup import SETUP_ERROR, start_runtime


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="run the bot (HTTP, or Socket Mode)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP interface to listen on")
    parser.add_argument("--no-scheduler", action="store_true", help="serve Slack only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    runtime = start_runtime(serving=True)
    if runtime is None:
        return SETUP_ERROR
    settings = runtime.settings
    log = logging.getLogger("bot")
    if not args.no_scheduler:
        runtime.scheduler.start()
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("connecting to Slack in Socket Mode")
        SocketModeHandler(runtime.app, settings.secret("SLACK_APP_TOKEN")).start()  # type: ignore[no-untyped-call]
        return 0
    from bot.slack.server import serve

    log.info("serving Slack at http://%s:%s/slack/events", args.host, settings.port)
    serve(runtime.wsgi, host=args.host, port=settings.port)
    return 0
