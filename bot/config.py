"""Settings, read from the environment and an optional `.env`, validated once at start.

Each command reads only what it needs: `sla` the calendar, `migrate` the database, `run`
and `worker` everything. A blank value counts as unset, wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pendulum import DateTime
from pydantic import AfterValidator, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config_values import (
    check_api_url,
    check_app_token,
    check_bot_token,
    check_business_hours,
    check_channel_id,
    check_database_url,
    check_email,
    check_fractions,
    check_holidays,
    check_instant,
    check_log_format,
    check_log_level,
    check_status_page_url,
    check_timezone,
    check_usergroup_id,
    missing_line,
    parse_fractions,
    parse_instant,
    problem_lines,
)
from bot.domain.calendar import (
    BusinessCalendar,
    WeeklyRange,
    parse_business_hours,
    parse_holidays,
)

DEFAULT_SLACK_API_URL = "https://slack.com/api/"

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


BotToken = Annotated[SecretStr, AfterValidator(check_bot_token)]
AppToken = Annotated[SecretStr, AfterValidator(check_app_token)]
ChannelId = Annotated[str, AfterValidator(check_channel_id)]
UsergroupId = Annotated[str, AfterValidator(check_usergroup_id)]
Email = Annotated[str, AfterValidator(check_email)]


class ConfigError(Exception):
    """Settings are missing or malformed; the message has one line per bad setting."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _SettingsBase(BaseSettings):
    """Where settings come from, and the rule that a blank value means "not set"."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        # env_ignore_empty covers the environment and `.env`; this covers keyword arguments,
        # values of spaces only, and None (the default takes its place).
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if not _blank(v)}


class CalendarSettings(_SettingsBase):
    """The desk's business calendar: all that the `sla` command reads."""

    business_timezone: Annotated[str, AfterValidator(check_timezone)] = "America/New_York"
    business_hours: Annotated[str, AfterValidator(check_business_hours)] = "Sun 18:00-Fri 21:00"
    holidays: Annotated[str, AfterValidator(check_holidays)] = ""

    @cached_property
    def weekly_hours(self) -> tuple[WeeklyRange, ...]:
        return parse_business_hours(self.business_hours)

    @cached_property
    def holiday_dates(self) -> frozenset[date]:
        return parse_holidays(self.holidays)

    def business_calendar(self) -> BusinessCalendar:
        """The desk's calendar: weekly hours and holidays in the business timezone."""
        return BusinessCalendar(self.business_timezone, self.weekly_hours, self.holiday_dates)


class DatabaseSettings(_SettingsBase):
    """Where the desk keeps its requests: all that the `migrate` command reads."""

    database_url: Annotated[str, AfterValidator(check_database_url)] = (
        "sqlite:///kustomer-support.db"
    )


class Settings(CalendarSettings, DatabaseSettings):
    """Every setting of the bot; see `.env.example` for what each one means."""

    slack_bot_token: BotToken | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: AppToken | None = None
    slack_api_url: Annotated[str, AfterValidator(check_api_url)] = DEFAULT_SLACK_API_URL
    port: int = Field(default=3000, ge=1, le=65535)
    support_channel_id: ChannelId | None = None
    oncall_channel_id: ChannelId | None = None
    escalation_channel_id: ChannelId | None = None
    email_intake_channel_id: ChannelId | None = None
    support_usergroup_id: UsergroupId | None = None
    oncall_usergroup_id: UsergroupId | None = None
    chat_admin_usergroup_id: UsergroupId | None = None
    plan_tier: Literal["professional", "enterprise", "ultimate"] = "enterprise"
    support_email: Email | None = None
    reminder_fractions: Annotated[str, AfterValidator(check_fractions)] = "0.5,0.8"
    bot_clock_start: Annotated[str, AfterValidator(check_instant)] | None = None
    bot_clock_speed: float = Field(default=1.0, gt=0)
    scheduler_tick_seconds: float = Field(default=5.0, gt=0)
    scheduler_batch_size: int = Field(default=50, ge=1, le=1000)
    scheduler_lease_seconds: float = Field(default=120.0, ge=5)
    channel_pace_seconds: float = Field(default=1.0, ge=0)
    workspace_posts_per_minute: int = Field(default=240, ge=0, le=1000)
    idempotency_retention_days: float = Field(default=7.0, gt=0)
    log_level: Annotated[str, AfterValidator(check_log_level)] = "INFO"
    log_format: Annotated[str, AfterValidator(check_log_format)] = "text"
    status_page_url: Annotated[str, AfterValidator(check_status_page_url)] | None = None
    status_poll_seconds: float = Field(default=300.0, ge=1)

    @cached_property
    def reminder_fraction_values(self) -> tuple[float, ...]:
        return parse_fractions(self.reminder_fractions)

    @property
    def clock_start(self) -> DateTime | None:
        return None if self.bot_clock_start is None else parse_instant(self.bot_clock_start)

    @property
    def simulated_clock(self) -> bool:
        return self.bot_clock_start is not None or self.bot_clock_speed != 1.0

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def missing(self, names: Iterable[str]) -> list[str]:
        """Which of these settings (by environment name) are unset."""
        return [name for name in names if getattr(self, name.lower()) is None]

    def require_slack(self) -> None:
        """Refuse to talk to Slack without the settings that needs; one line per gap."""
        missing = self.missing(SLACK_RUNTIME_SETTINGS)
        if missing:
            raise ConfigError(*(missing_line(name) for name in missing))

    def secret(self, name: str) -> str:
        """The plain value of a secret setting (never log it)."""
        value = getattr(self, name.lower())
        if value is None:
            raise ConfigError(missing_line(name.upper()))
        return str(value.get_secret_value())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


SettingsT = TypeVar("SettingsT", bound=_SettingsBase)


def load_settings(*, require: Iterable[str] = (), **overrides: Any) -> Settings:
    """All the settings, or ConfigError naming every malformed one and every `require`d gap."""
    required = tuple(require)
    try:
        settings = Settings(**overrides)
        problems: list[str] = []
    except ValidationError as error:
        problems = problem_lines(error)
        if not required:
            raise ConfigError(*problems) from None
        # Set the malformed values aside, so the same report can name the missing ones too.
        bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        settings = Settings(**{**overrides, **dict.fromkeys(bad)})
        required = tuple(name for name in required if name.lower() not in bad)
    problems += [missing_line(name) for name in settings.missing(required)]
    if problems:
        raise ConfigError(*problems)
    return settings


def load_calendar_settings(**overrides: Any) -> CalendarSettings:
    """Only the calendar settings (for `sla`): nothing else is read, so nothing else can fail."""
    return _load(CalendarSettings, overrides)


def load_database_settings(**overrides: Any) -> DatabaseSettings:
    """Only DATABASE_URL (for `migrate`)."""
    return _load(DatabaseSettings, overrides)


def _load(kind: type[SettingsT], overrides: dict[str, Any]) -> SettingsT:
    try:
        return kind(**overrides)
    except ValidationError as error:
        raise ConfigError(*problem_lines(error)) from None
