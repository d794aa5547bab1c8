"""`run` and `worker` start alike: a schema they cannot use stops them with one message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import make_engine
from bot.db.migrate import head_revision, upgrade

REPO = Path(__file__).resolve().parents[2]


def _schema_from_the_future(path: Path) -> str:
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    engine.dispose()
    return url


@pytest.mark.parametrize("command", ["run", "worker"])
def test_a_schema_it_does_not_know_stops_the_command_with_one_message(
    command: str, tmp_path: Path
) -> None:
    env = {
        "PATH": "",
        "DATABASE_URL": _schema_from_the_future(tmp_path / "bot.db"),
        "SLACK_BOT_TOKEN": "xoxb-very-secret",
        "SLACK_SIGNING_SECRET": "signing-secret",
        "SUPPORT_CHANNEL_ID": "C0SUPPORT",
        "ONCALL_CHANNEL_ID": "C0ONCALL",
        "ESCALATION_CHANNEL_ID": "C0ESCALATE",
        "SUPPORT_USERGROUP_ID": "S0SUPPORT",
        "ONCALL_USERGROUP_ID": "S0ONCALL",
        "SUPPORT_EMAIL": "support@kustomer.example",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", command],
        cwd=tmp_path,  # no .env of the developer's
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    # Alembic logs how it read the schema; the last line is ours, and says what to do.
    assert result.stderr.strip().splitlines()[-1] == (
        f"The database schema is at f00dfeedbeef, which this version (at {head_revision()}) "
        "does not know: run a newer version of the bot."
    )
    assert "xoxb-very-secret" not in result.stdout + result.stderr
