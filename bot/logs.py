"""Logging set-up: one line per record, plain text or JSON (LOG_FORMAT), secrets never in it.

Records carry what they are about as fields when the log site knows it: the request key,
the team, the channel and the timer kind (`extra=log_fields(request, timer_kind=...)`, or
`with log_context(...)` around a stretch of work). The JSON lines show them; every record,
in either format, passes a filter that redacts Slack tokens, the configured secrets and
database passwords from its message, its arguments, its fields and its traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.domain.model import Request

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONTEXT_FIELDS = ("request_key", "team", "channel", "timer_kind")
REDACTED = "[REDACTED]"
# Bot, user, app-level, refresh and rotating tokens: xoxb-…, xoxp-…, xapp-…, xoxe.xoxb-…
SLACK_TOKEN = re.compile(r"((?:xoxe\.)?(?:xox[a-z]|xapp)-)[A-Za-z0-9-]+")
URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]+):([^@\s]+)@")
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
}
_context: ContextVar[Mapping[str, str]] = ContextVar("log_context", default=MappingProxyType({}))


def log_fields(request: Request | None = None, **known: object) -> dict[str, str]:
    """The context fields of a record: those of `request`, then `known` (None left out)."""
    values: dict[str, object] = {}
    if request is not None:
        values = {
            "request_key": request.key,
            "team": request.team_id,
            "channel": request.slack_channel_id,
        }
    values.update(known)
    return {name: str(value) for name, value in values.items() if value is not None}


@contextmanager
def log_context(request: Request | None = None, **known: object) -> Iterator[None]:
    """Every record logged in this block (in this thread) carries these fields."""
    token = _context.set({**_context.get(), **log_fields(request, **known)})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Adds the fields of the enclosing `log_context` a record was not given explicitly."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _context.get().items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class Redactor:
    """Replaces Slack tokens, the given secrets and URL passwords in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = SLACK_TOKEN.sub(rf"\1{REDACTED}", text)
        return URL_PASSWORD.sub(rf"\1:{REDACTED}@", text)


class RedactingFilter(logging.Filter):
    """Redacts every record in place: message and arguments, extra fields, traceback."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._redact = Redactor(secrets)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not stop the record, nor leak its args
            message = f"{record.msg} (unformattable arguments)"
        record.msg, record.args = self._redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, self._redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, Any] = {
            "time": f"{stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def make_handler(
    fmt: str = "text", *, secrets: Iterable[str] = (), stream: Any = None
) -> logging.Handler:
    """A stream handler (stderr) in `fmt` that adds context fields and redacts secrets."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter(secrets))
    return handler


def setup_logging(level: str = "INFO", *, fmt: str = "text", secrets: Iterable[str] = ()) -> None:
    """Log to stderr, as plain text (time, level, logger name, message) or JSON lines."""
    logging.basicConfig(level=level.upper(), handlers=[make_handler(fmt, secrets=secrets)])
