"""Checks of single setting values, and the one line a missing or malformed setting gets."""

from __future__ import annotations

import re

import pendulum
from pendulum import DateTime
from pydantic import SecretStr, ValidationError

from bot.domain.calendar import parse_business_hours, parse_holidays

# What each setting expects, said in the one line a bad or missing value gets.
EXPECTED = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the Signing Secret from Basic Information",
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write, or nothing",
    "PORT": "a TCP port number between 1 and 65535",
    "PLAN_TIER": "one of professional, enterprise, ultimate",
    "BUSINESS_TIMEZONE": "an IANA timezone name such as America/New_York",
    "BUSINESS_HOURS": "weekly ranges such as 'Sun 18:00-Fri 21:00'",
    "HOLIDAYS": "comma-separated dates such as 2026-11-26,2026-12-25",
    "REMINDER_FRACTIONS": "comma-separated fractions between 0 and 1, such as 0.5,0.8",
    "BOT_CLOCK_START": "an ISO-8601 instant with an offset, such as 2026-11-20T20:40:00-05:00",
    "BOT_CLOCK_SPEED": "a positive number (1 is real time)",
    "SCHEDULER_TICK_SECONDS": "a positive number of seconds",
    "SCHEDULER_BATCH_SIZE": "a whole number from 1 to 1000",
    "SCHEDULER_LEASE_SECONDS": "a number of seconds, at least 5",
    "IDEMPOTENCY_RETENTION_DAYS": "a positive number of days",
    "CHANNEL_PACE_SECONDS": "a number of seconds, 0 or more (Slack allows about 1 per channel)",
    "WORKSPACE_POSTS_PER_MINUTE": "a whole number from 0 to 1000 (Slack allows several hundred)",
    "SLACK_API_URL": "an http(s) URL ending in /api/",
    "DATABASE_URL": (
        "sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:5432/name"
    ),
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "LOG_FORMAT": "text (the default) or json",
    "SUPPORT_EMAIL": "an email address such as support@example.com",
    "STATUS_PAGE_URL": "the http(s) base URL of a Statuspage-compatible status page, or nothing",
    "STATUS_POLL_SECONDS": "a number of seconds, at least 1",
}
_CHANNEL = "a channel id such as C0123456789 (.env.example says where to find it)"
_USERGROUP = "a user group id such as S0123456789 (.env.example says where to find it)"
EXPECTED |= {
    f"{n}_CHANNEL_ID": _CHANNEL for n in ("SUPPORT", "ONCALL", "ESCALATION", "EMAIL_INTAKE")
}
EXPECTED |= {f"{n}_USERGROUP_ID": _USERGROUP for n in ("SUPPORT", "ONCALL", "CHAT_ADMIN")}

# Database drivers the bot is built and tested for (`postgres://` means psycopg 3).
DATABASE_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgres", "postgresql", "postgresql+psycopg")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")
_USERGROUP_ID = re.compile(r"S[A-Z0-9]{2,}")


def problem_lines(error: ValidationError) -> list[str]:
    """One line per malformed setting, naming it and what it expects (never its value)."""
    lines: dict[str, str] = {}
    for detail in error.errors():
        name = str(detail["loc"][0]).upper() if detail["loc"] else "settings"
        reason = str(detail["msg"]).removeprefix("Value error, ")
        expected = EXPECTED.get(name)
        hint = f"; expected {expected}" if expected else ""
        lines.setdefault(name, f"Setting {name} is invalid: {reason}{hint}.")
    return list(lines.values())


def missing_line(name: str) -> str:
    """The line for a setting the command needs and nobody gave."""
    expected = EXPECTED.get(name)
    hint = f"; expected {expected}" if expected else ""
    return f"Setting {name} is missing: it is required to run the bot{hint}."


def check_bot_token(value: SecretStr) -> SecretStr:
    # Rotating tokens carry the kind after an `xoxe.` prefix.
    if not value.get_secret_value().removeprefix("xoxe.").startswith("xoxb-"):
        raise ValueError("it does not start with xoxb-")
    return value


def check_app_token(value: SecretStr) -> SecretStr:
    if not value.get_secret_value().startswith("xapp-"):
        raise ValueError("it does not start with xapp-")
    return value


def check_channel_id(value: str) -> str:
    if not _CHANNEL_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not a channel id")
    return value


def check_usergroup_id(value: str) -> str:
    if not _USERGROUP_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not a user group id")
    return value


def check_email(value: str) -> str:
    local, _, domain = value.partition("@")
    if not local or "." not in domain or " " in value:
        raise ValueError(f"{value!r} is not an email address")
    return value


def check_log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"unknown log level {value!r}")
    return value.upper()


def check_log_format(value: str) -> str:
    if value.strip().lower() not in LOG_FORMATS:
        raise ValueError(f"unknown log format {value!r}")
    return value.strip().lower()


def check_timezone(value: str) -> str:
    try:
        pendulum.timezone(value)
    except Exception as error:
        raise ValueError(f"unknown timezone {value!r}") from error
    return value


def check_business_hours(value: str) -> str:
    parse_business_hours(value)
    return value


def check_holidays(value: str) -> str:
    parse_holidays(value)
    return value


def check_api_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value if value.endswith("/") else value + "/"


def check_status_page_url(value: str) -> str:
    """The status page's base URL, without a trailing slash or the API path."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    if parts.query or parts.fragment:
        raise ValueError("must be the page's base URL, without ?query or #fragment")
    return value.strip().rstrip("/").removesuffix("/api/v2").rstrip("/")


def check_database_url(value: str) -> str:
    """A URL SQLAlchemy parses, for a driver the bot supports (the message omits the URL)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        driver = make_url(value).drivername
    except (ArgumentError, ValueError):
        raise ValueError("is not a database URL") from None
    if driver not in DATABASE_DRIVERS:
        raise ValueError(f"the database driver {driver!r} is not supported")
    return value


def check_fractions(value: str) -> str:
    parse_fractions(value)
    return value


def check_instant(value: str) -> str:
    parse_instant(value)
    return value


def parse_fractions(text: str) -> tuple[float, ...]:
    """REMINDER_FRACTIONS as sorted distinct fractions strictly between 0 and 1."""
    try:
        values = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise ValueError("is not a list of numbers") from error
    if any(not 0 < value < 1 for value in values):
        raise ValueError("fractions must lie strictly between 0 and 1")
    return tuple(values)


def parse_instant(text: str) -> DateTime:
    """An ISO-8601 instant that names its offset, in UTC."""
    try:
        parsed = pendulum.parse(text, exact=True)
    except Exception as error:
        raise ValueError(f"{text!r} is not an ISO-8601 instant") from error
    if not isinstance(parsed, DateTime) or parsed.tzinfo is None or "T" not in text.upper():
        raise ValueError(f"{text!r} needs a date, a time and an offset")
    if not _has_offset(text):
        raise ValueError(f"{text!r} has no UTC offset")
    return parsed.in_timezone("UTC")


def _has_offset(text: str) -> bool:
    tail = text.upper().split("T", 1)[1]
    return tail.endswith("Z") or "+" in tail or "-" in tail
