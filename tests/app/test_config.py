"""Settings: validated once, one clear line per bad setting, secrets never shown."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.calendar import parse_business_hours

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


def test_running_needs_the_slack_settings_and_names_the_first_missing() -> None:
    settings = load_settings(_env_file=None)

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is missing"):
        settings.require_slack()


def test_the_command_line_prints_one_line_and_never_the_secret() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-very-secret", "PORT": "not-a-port", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]]
    assert "PORT" in lines[0]
    assert "xoxb-very-secret" not in result.stdout + result.stderr
