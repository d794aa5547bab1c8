"""Settings as the command line reports them: every problem at once, each command its own."""

from __future__ import annotations

from pathlib import Path

from tests.app.bot_process import clean_env, env_from_example, run_bot

SLA_ARGS = ("sla", "--priority", "high", "--created", "2026-11-20T20:30:00-05:00")


def _named(lines: list[str]) -> dict[str, str]:
    """Setting name -> "invalid" or "missing", from lines like `Setting PORT is invalid: ...`."""
    named = {}
    for line in lines:
        assert line.startswith("Setting "), line
        _, name, _, state = line.split()[:4]
        named[name] = state.rstrip(":")
    assert len(named) == len(lines), "a setting is named twice"
    return named


def test_run_names_every_missing_and_malformed_setting_at_once(tmp_path: Path) -> None:
    env_from_example(
        tmp_path,
        PORT="80000",
        LOG_LEVEL="loud",
        DATABASE_URL="mysql://bot:hunter2@db.internal/desk",
        SUPPORT_CHANNEL_ID="#support",
    )

    result = run_bot("run", folder=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert _named(result.stderr.splitlines()) == {
        "PORT": "invalid",
        "LOG_LEVEL": "invalid",
        "DATABASE_URL": "invalid",
        "SUPPORT_CHANNEL_ID": "invalid",
        # Left blank in the example: blank secrets and ids count as missing.
        "SLACK_BOT_TOKEN": "missing",
        "SLACK_SIGNING_SECRET": "missing",
        "ONCALL_CHANNEL_ID": "missing",
        "ESCALATION_CHANNEL_ID": "missing",
        "SUPPORT_USERGROUP_ID": "missing",
        "ONCALL_USERGROUP_ID": "missing",
    }
    assert "hunter2" not in result.stderr


def test_sla_needs_no_slack_settings_and_ignores_bad_ones(tmp_path: Path) -> None:
    env_from_example(tmp_path, PORT="not-a-port", SLACK_BOT_TOKEN="junk", LOG_LEVEL="loud")

    result = run_bot(*SLA_ARGS, folder=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Due:" in result.stdout


def test_sla_runs_with_nothing_but_the_command_line(tmp_path: Path) -> None:
    result = run_bot(*SLA_ARGS, folder=tmp_path, env=clean_env())

    assert result.returncode == 0, result.stderr
    assert "Due:" in result.stdout


def test_sla_names_each_bad_calendar_setting(tmp_path: Path) -> None:
    env_from_example(tmp_path, BUSINESS_TIMEZONE="Mars/Olympus", HOLIDAYS="2026-13-45")

    result = run_bot(*SLA_ARGS, folder=tmp_path)

    assert result.returncode == 2
    assert _named(result.stderr.splitlines()) == {
        "BUSINESS_TIMEZONE": "invalid",
        "HOLIDAYS": "invalid",
    }


def test_migrate_reads_only_the_database_url(tmp_path: Path) -> None:
    env_from_example(
        tmp_path, PORT="not-a-port", SLACK_BOT_TOKEN="junk", SUPPORT_CHANNEL_ID="support"
    )

    result = run_bot("migrate", folder=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Migrated sqlite:///kustomer-support.db" in result.stdout
    assert (tmp_path / "kustomer-support.db").exists()


def test_an_unsupported_database_gets_one_clear_line(tmp_path: Path) -> None:
    env_from_example(tmp_path, DATABASE_URL="postgressql://bot:hunter2@db.internal/desk")

    result = run_bot("migrate", folder=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Setting DATABASE_URL is invalid: the database driver 'postgressql' is not supported; "
        "expected sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:5432/name."
    ]
