"""Start-up shared by `run` and `worker`: settings, logging, then the whole bot."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bot.config import load_settings
from bot.db.migrate import SchemaError
from bot.logs import setup_logging

if TYPE_CHECKING:
    from bot.runtime import Runtime

# The exit code of a start-up the operator must fix (settings, schema), as for ConfigError.
SETUP_ERROR = 2


def start_runtime() -> Runtime | None:
    """The bot built from validated settings; None, once the reason is printed, if it cannot be."""
    settings = load_settings()
    setup_logging(settings.log_level)
    # Imported late: the other commands start without Slack and the web stack.
    from bot.runtime import build_runtime

    try:
        return build_runtime(settings)
    except SchemaError as error:
        print(error, file=sys.stderr)
        return None
