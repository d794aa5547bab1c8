"""Settings, read from the environment and an optional `.env`, validated once at start."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

import pendulum
from pendulum import DateTime
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.calendar import (
    BusinessCalendar,
    WeeklyRange,
    parse_business_hours,
    parse_holidays,
)

DEFAULT_SLACK_API_URL = "https://slack.com/api/"

# What each setting expects, said in the one line a bad value gets.
EXPECTED = {
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
    "CHANNEL_PACE_SECONDS": "a number of seconds, 0 or more (Slack allows about 1 per channel)",
    "SLACK_API_URL": "an http(s) URL ending in /api/",
    "DATABASE_URL": "an SQLAlchemy URL such as sqlite:///kustomer-support.db",
}

# Needed to talk to Slack (run, worker); the calendar commands work without them.
SLACK_RUNTIME_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SUPPORT_CHANNEL_ID",
    "ONCALL_CHANNEL_ID",
    "ESCALATION_CHANNEL_ID",
    "SUPPORT_USERGROUP_ID",
    "ONCALL_USERGROUP_ID",
    "SUPPORT_EMAIL",
)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    """Every setting of the bot; see `.env.example` for what each one means."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = "sqlite:///kustomer-support.db"
    port: int = Field(default=3000, ge=1, le=65535)
    support_channel_id: str | None = None
    oncall_channel_id: str | None = None
    escalation_channel_id: str | None = None
    email_intake_channel_id: str | None = None
    support_usergroup_id: str | None = None
    oncall_usergroup_id: str | None = None
    chat_admin_usergroup_id: str | None = None
    plan_tier: Literal["professional", "enterprise", "ultimate"] = "enterprise"
    support_email: str | None = None
    business_timezone: str = "America/New_York"
    business_hours: str = "Sun 18:00-Fri 21:00"
    holidays: str = ""
    reminder_fractions: str = "0.5,0.8"
    bot_clock_start: str | None = None
    bot_clock_speed: float = Field(default=1.0, gt=0)
    scheduler_tick_seconds: float = Field(default=5.0, gt=0)
    scheduler_batch_size: int = Field(default=50, ge=1, le=1000)
    scheduler_lease_seconds: float = Field(default=120.0, ge=5)
    channel_pace_seconds: float = Field(default=1.0, ge=0)
    log_level: str = "INFO"

    @field_validator(
        "support_channel_id",
        "oncall_channel_id",
        "escalation_channel_id",
        "email_intake_channel_id",
        "support_usergroup_id",
        "oncall_usergroup_id",
        "chat_admin_usergroup_id",
        "support_email",
        "bot_clock_start",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("is not a database URL")
        return value

    @field_validator("business_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            pendulum.timezone(value)
        except Exception as error:
            raise ValueError(f"unknown timezone {value!r}") from error
        return value

    @field_validator("business_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        parse_business_hours(value)
        return value

    @field_validator("holidays")
    @classmethod
    def _check_holidays(cls, value: str) -> str:
        parse_holidays(value)
        return value

    @field_validator("reminder_fractions")
    @classmethod
    def _check_fractions(cls, value: str) -> str:
        _parse_fractions(value)
        return value

    @field_validator("bot_clock_start")
    @classmethod
    def _check_clock_start(cls, value: str | None) -> str | None:
        if value is not None:
            _parse_instant(value)
        return value

    @cached_property
    def weekly_hours(self) -> tuple[WeeklyRange, ...]:
        return parse_business_hours(self.business_hours)

    @cached_property
    def holiday_dates(self) -> frozenset[date]:
        return parse_holidays(self.holidays)

    @cached_property
    def reminder_fraction_values(self) -> tuple[float, ...]:
        return _parse_fractions(self.reminder_fractions)

    @property
    def clock_start(self) -> DateTime | None:
        return None if self.bot_clock_start is None else _parse_instant(self.bot_clock_start)

    @property
    def simulated_clock(self) -> bool:
        return self.bot_clock_start is not None or self.bot_clock_speed != 1.0

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def business_calendar(self) -> BusinessCalendar:
        """The desk's calendar: weekly hours and holidays in the business timezone."""
        return BusinessCalendar(self.business_timezone, self.weekly_hours, self.holiday_dates)

    def require_slack(self) -> None:
        """Refuse to talk to Slack without the settings that needs; one line names the gap."""
        for name in SLACK_RUNTIME_SETTINGS:
            if getattr(self, name.lower()) is None:
                raise ConfigError(f"Setting {name} is missing: it is required to run the bot.")

    def secret(self, name: str) -> str:
        """The plain value of a secret setting (never log it)."""
        value = getattr(self, name.lower())
        if value is None:
            raise ConfigError(f"Setting {name.upper()} is missing.")
        return str(value.get_secret_value())


def _parse_fractions(text: str) -> tuple[float, ...]:
    try:
        values = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise ValueError("is not a list of numbers") from error
    if any(not 0 < value < 1 for value in values):
        raise ValueError("fractions must lie strictly between 0 and 1")
    return tuple(values)


def _parse_instant(text: str) -> DateTime:
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


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, or raise ConfigError with one line naming the bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(_one_line(error)) from None


def load_calendar_settings() -> Settings:
    """Settings for commands that need only the calendar (they exit 2 on a bad setting)."""
    try:
        return load_settings()
    except ConfigError as error:
        raise SystemExit(_exit_with(str(error))) from None


def _exit_with(message: str) -> int:
    import sys

    print(message, file=sys.stderr)
    return 2


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    reason = str(first["msg"]).removeprefix("Value error, ")
    expected = EXPECTED.get(name)
    hint = f"; expected {expected}" if expected else ""
    return f"Setting {name} is invalid: {reason}{hint}."
