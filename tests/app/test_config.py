"""Settings: validated once, one clear line per bad setting, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    SLACK_RUNTIME_SETTINGS,
    ConfigError,
    load_calendar_settings,
    load_database_settings,
    load_settings,
)
from bot.domain.calendar import parse_business_hours
from tests.app.bot_process import env_from_example

BAD_VALUES = [
    ("port", "abc", "PORT"),
    ("port", "70000", "PORT"),
    ("plan_tier", "free", "PLAN_TIER"),
    ("business_timezone", "Mars/Olympus", "BUSINESS_TIMEZONE"),
    ("business_hours", "Sun 18:00-Fry 21:00", "BUSINESS_HOURS"),
    ("holidays", "2026-13-45", "HOLIDAYS"),
    ("reminder_fractions", "0.5,1.5", "REMINDER_FRACTIONS"),
    ("bot_clock_start", "2026-11-20T20:40:00", "BOT_CLOCK_START"),
    ("bot_clock_speed", "0", "BOT_CLOCK_SPEED"),
    ("slack_api_url", "slack.com/api", "SLACK_API_URL"),
    ("log_level", "loud", "LOG_LEVEL"),
    ("database_url", "mysql://bot:pw@db/desk", "DATABASE_URL"),
    ("database_url", "postgressql://bot:pw@db/desk", "DATABASE_URL"),
    ("database_url", "kustomer-support.db", "DATABASE_URL"),
    ("support_channel_id", "#support", "SUPPORT_CHANNEL_ID"),
    ("email_intake_channel_id", "support-email", "EMAIL_INTAKE_CHANNEL_ID"),
    ("oncall_usergroup_id", "@oncall", "ONCALL_USERGROUP_ID"),
    ("slack_bot_token", "xoxp-a-user-token", "SLACK_BOT_TOKEN"),
    ("slack_app_token", "xoxb-the-bot-token", "SLACK_APP_TOKEN"),
    ("support_email", "support", "SUPPORT_EMAIL"),
]
SUPPORTED_DATABASES = [
    "sqlite:///kustomer-support.db",
    "sqlite://",
    "sqlite+pysqlite:////var/lib/bot/desk.db",
    "postgresql+psycopg://bot:pw@db.internal:5432/desk",
    "postgresql://bot:pw@db.internal/desk",
    "postgres://bot:pw@db.internal/desk",
]


def test_defaults_follow_the_support_policy() -> None:
    settings = load_settings(_env_file=None)

    assert settings.database_url == "sqlite:///kustomer-support.db"
    assert settings.port == 3000
    assert settings.plan_tier == "enterprise"
    assert settings.business_timezone == "America/New_York"
    assert settings.reminder_fraction_values == (0.5, 0.8)
    assert settings.business_calendar().weekly == parse_business_hours("Sun 18:00-Fri 21:00")
    assert not settings.simulated_clock
    assert not settings.socket_mode


@pytest.mark.parametrize(("field", "value", "name"), BAD_VALUES)
def test_a_bad_setting_gives_one_line_naming_it(field: str, value: str, name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{field: value})

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"Setting {name} is invalid")


def test_several_weekly_ranges_and_holidays_are_accepted() -> None:
    settings = load_settings(
        _env_file=None,
        business_hours="Mon 09:00-Mon 17:00,Tue 09:00-Tue 17:00",
        holidays="2026-11-26,2026-12-25",
    )

    assert len(settings.weekly_hours) == 2
    assert len(settings.holiday_dates) == 2


@pytest.mark.parametrize("url", SUPPORTED_DATABASES)
def test_sqlite_and_postgresql_urls_are_accepted(url: str) -> None:
    assert load_settings(_env_file=None, database_url=url).database_url == url


def test_an_unsupported_database_is_named_without_its_password() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, database_url="mysql://bot:hunter2@db.internal/desk")

    assert str(caught.value) == (
        "Setting DATABASE_URL is invalid: the database driver 'mysql' is not supported; "
        "expected sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:5432/name."
    )


def test_the_log_level_is_read_in_any_case() -> None:
    assert load_settings(_env_file=None, log_level="warning").log_level == "WARNING"


def test_blank_lines_of_a_dotenv_count_as_unset(tmp_path: Path) -> None:
    dotenv = env_from_example(tmp_path, PORT="", HOLIDAYS="", SLACK_APP_TOKEN="")

    settings = load_settings(_env_file=dotenv)

    assert not settings.socket_mode  # a blank SLACK_APP_TOKEN means HTTP mode
    assert settings.slack_app_token is None
    assert settings.port == 3000
    assert settings.holiday_dates == frozenset()


def test_blank_arguments_count_as_unset() -> None:
    settings = load_settings(
        _env_file=None, slack_app_token="   ", support_channel_id="", port=" ", bot_clock_start=""
    )

    assert settings.slack_app_token is None
    assert settings.support_channel_id is None
    assert settings.port == 3000
    assert not settings.simulated_clock


def test_blank_secrets_and_ids_are_reported_missing(tmp_path: Path) -> None:
    dotenv = env_from_example(tmp_path)  # the example as it comes: secrets and ids blank

    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=dotenv, require=SLACK_RUNTIME_SETTINGS)

    assert [line.split()[1] for line in caught.value.problems] == [
        name
        for name in SLACK_RUNTIME_SETTINGS
        if name != "SUPPORT_EMAIL"  # the example has one
    ]
    assert all(" is missing: it is required to run the bot" in p for p in caught.value.problems)


def test_every_bad_setting_is_reported_together_one_line_each() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            _env_file=None,
            require=SLACK_RUNTIME_SETTINGS,
            port="abc",
            log_level="loud",
            support_channel_id="#support",
            slack_bot_token="xoxb-fine",
        )

    problems = caught.value.problems
    assert str(caught.value).splitlines() == list(problems)
    assert {line.split()[1]: line.split()[3] for line in problems} == {
        "PORT": "invalid:",
        "LOG_LEVEL": "invalid:",
        "SUPPORT_CHANNEL_ID": "invalid:",  # named once: malformed, not also missing
        "SLACK_SIGNING_SECRET": "missing:",
        "ONCALL_CHANNEL_ID": "missing:",
        "ESCALATION_CHANNEL_ID": "missing:",
        "SUPPORT_USERGROUP_ID": "missing:",
        "ONCALL_USERGROUP_ID": "missing:",
        "SUPPORT_EMAIL": "missing:",
    }


def test_running_needs_the_slack_settings_and_names_every_missing_one() -> None:
    settings = load_settings(_env_file=None, slack_bot_token="xoxb-fine")

    with pytest.raises(ConfigError) as caught:
        settings.require_slack()

    assert len(caught.value.problems) == len(SLACK_RUNTIME_SETTINGS) - 1
    assert "SLACK_BOT_TOKEN" not in str(caught.value)


def test_the_calendar_commands_read_only_the_calendar(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "PORT=not-a-port\nSLACK_BOT_TOKEN=junk\nBUSINESS_HOURS=Mon 09:00-Mon 17:00\n",
        encoding="utf-8",
    )

    calendar = load_calendar_settings(_env_file=dotenv)

    assert calendar.weekly_hours == parse_business_hours("Mon 09:00-Mon 17:00")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=dotenv)
    assert {line.split()[1] for line in caught.value.problems} == {"SLACK_BOT_TOKEN", "PORT"}


def test_migrate_reads_only_the_database_url(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=not-a-port\nDATABASE_URL=sqlite:///desk.db\n", encoding="utf-8")

    assert load_database_settings(_env_file=dotenv).database_url == "sqlite:///desk.db"
