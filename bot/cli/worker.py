"""`worker`: run only the scheduler (for deployments that separate web and worker)."""

from __future__ import annotations

import argparse
import logging
import signal

from bot.config import load_settings
from bot.db.migrate import SchemaError
from bot.logs import setup_logging


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("worker", help="run the scheduler only (pings, breaches)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="timers claimed per tick (default: SCHEDULER_BATCH_SIZE)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging(settings.log_level)
    from bot.runtime import build_runtime

    try:
        runtime = build_runtime(settings)
    except SchemaError as error:
        print(error)
        return 2
    scheduler = runtime.scheduler
    if args.batch_size is not None:
        scheduler.batch_size = max(1, args.batch_size)
    # SIGTERM (a deploy, `docker stop`) ends the loop after the tick in progress.
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop(timeout=0))
    logging.getLogger("bot").info("scheduler worker %s started", scheduler.worker_id)
    try:
        scheduler.run()
    finally:
        runtime.close()
    return 0
