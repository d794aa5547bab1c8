"""`run` and `worker` start alike: a schema they cannot use stops them with one message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import make_engine
from bot.db.migrate import head_revision, upgrade
from bot.devtools.standin import SlackStandIn
from tests.app.bot_process import FILLED_IN, clean_env, run_bot


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
    command: str, standin: SlackStandIn, tmp_path: Path
) -> None:
    env = clean_env(
        **FILLED_IN,
        DATABASE_URL=_schema_from_the_future(tmp_path / "bot.db"),
        SLACK_API_URL=standin.base_url,
        SUPPORT_EMAIL="support@kustomer.example",
    )
    result = run_bot(command, folder=tmp_path, env=env)  # no .env of the developer's

    assert result.returncode == 2
    # Alembic logs how it read the schema; the last line is ours, and says what to do.
    assert result.stderr.strip().splitlines()[-1] == (
        f"The database schema is at f00dfeedbeef, which this version (at {head_revision()}) "
        "does not know: run a newer version of the bot."
    )
    assert FILLED_IN["SLACK_BOT_TOKEN"] not in result.stdout + result.stderr
