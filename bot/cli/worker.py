"""`worker`: run only the scheduler (for deployments that separate web and worker)."""

from __future__ import annotations

import argparse
import logging
import signal

from bot.cli.startup import SETUP_ERROR, start_runtime


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
    runtime = start_runtime(serving=False)
    if runtime is None:
        return SETUP_ERROR
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
