"""`python -m bot accounts`: real processes against a temporary SQLite file (and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pendulum
import pytest

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.domain.accounts import Account, new_account
from bot.services.accounts import add_account, list_accounts

ROOT = Path(__file__).resolve().parents[1]


def accounts(cwd: Path, url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command in `cwd` (no `.env` there) with DATABASE_URL as the only setting."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "accounts", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def listed(cwd: Path, url: str) -> list[dict[str, Any]]:
    done = accounts(cwd, url, "list", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    return list(json.loads(done.stdout)["accounts"])


def stored(url: str) -> list[Account]:
    db = Database.from_url(url)
    try:
        return list_accounts(db)
    finally:
        db.dispose()


def test_add_list_update_remove_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    acme = ("add", "--name", "Acme Corp", "--tier", "Enterprise", "--channel", "C0ACME1")
    more = ("--channel", "G0ACME2", "--team", "T0ACME", "--admin", "U0ADMIN", "--admin", "W0OWNER")
    done = accounts(tmp_path, url, *acme, *more, "--project", "Migration")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Added Acme Corp (enterprise): channels C0ACME1, G0ACME2;")
    globex = ("add", "--name", "Globex", "--tier", "professional", "--channel", "C0GLOBEX")
    assert accounts(tmp_path, url, *globex).returncode == 0
    assert listed(tmp_path, url) == [
        {"name": "Acme Corp", "tier": "enterprise", "channels": ["C0ACME1", "G0ACME2"],
         "teams": ["T0ACME"], "admins": ["U0ADMIN", "W0OWNER"], "project": "Migration"},
        {"name": "Globex", "tier": "professional", "channels": ["C0GLOBEX"], "teams": [],
         "admins": [], "project": None},
    ]  # fmt: skip

    done = accounts(tmp_path, url, "update", "acme corp", "--rename", "Acme", "--tier", "ultimate",
                    "--add-channel", "C0ACME3", "--remove-channel", "G0ACME2", "--add-team",
                    "E0ACME", "--remove-admin", "W0OWNER", "--no-project")  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Updated Acme (ultimate):")
    assert listed(tmp_path, url)[0] == {
        "name": "Acme", "tier": "ultimate", "channels": ["C0ACME1", "C0ACME3"],
        "teams": ["E0ACME", "T0ACME"], "admins": ["U0ADMIN"], "project": None,
    }  # fmt: skip

    done = accounts(tmp_path, url, "remove", "GLOBEX")
    assert (done.returncode, done.stdout) == (0, "Removed Globex: C0GLOBEX no longer mapped.\n")
    table = accounts(tmp_path, url, "list").stdout.splitlines()
    assert table[0].split() == ["Name", "Tier", "Channels", "Teams", "Admins", "Default", "project"]
    assert table[1].split() == ["Acme", "ultimate", "C0ACME1,", "C0ACME3", "E0ACME,", "T0ACME",
                                "U0ADMIN", "none"]  # fmt: skip


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A migrated SQLite file holding Acme and Globex, shared by the bad-input cases."""
    directory = tmp_path_factory.mktemp("accounts")
    url = f"sqlite:///{directory / 'desk.db'}"
    upgrade(url)
    db = Database.from_url(url)
    now = pendulum.datetime(2026, 12, 1, 15, 0)
    try:
        for name, channel, team in (("Acme", "C0ACME", "T0ACME"), ("Globex", "C0GLOBEX", None)):
            account = new_account(name=name, tier="enterprise", channels=[channel],
                                  teams=[team] if team else [], admins=["U0ADMIN"])  # fmt: skip
            add_account(db, account, now=now)
    finally:
        db.dispose()
    return directory, url


ADD = ("add", "--name", "Initech", "--tier", "ultimate")
BAD_INPUT = {
    "unknown tier": (("add", "--name", "Initech", "--tier", "gold", "--channel", "C0NEW"),
                     "'gold' is not a plan tier"),
    "malformed channel": ((*ADD, "--channel", "X0NEW"), "is not a Slack channel id"),
    "lowercase channel": ((*ADD, "--channel", "c0new"), "is not a Slack channel id"),
    "malformed team": ((*ADD, "--channel", "C0NEW", "--team", "U0TEAM"), "is not a Slack team id"),
    "malformed admin": ((*ADD, "--channel", "C0NEW", "--admin", "T0USER"), "is not a Slack user"),
    "channel of another": ((*ADD, "--channel", "C0ACME"), "C0ACME already belongs to account Acme"),
    "team of another": ((*ADD, "--channel", "C0NEW", "--team", "T0ACME"), "T0ACME already belongs"),
    "duplicate name": (("add", "--name", "ACME", "--tier", "ultimate", "--channel", "C0NEW"),
                       "An account named 'Acme' already exists"),
    "no channel": (ADD, "the following arguments are required: --channel"),
    "empty project": ((*ADD, "--channel", "C0NEW", "--project", " "), "project name is empty"),
    "unknown account": (("update", "Initech", "--tier", "ultimate"), "No account named 'Initech'"),
    "update to a mapped channel": (("update", "globex", "--add-channel", "C0ACME"),
                                   "C0ACME already belongs to account Acme"),
    "rename to a taken name": (("update", "Globex", "--rename", "acme"), "already exists"),
    "nothing to change": (("update", "Globex"), "Nothing to change"),
    "remove a channel it lacks": (("update", "Globex", "--remove-channel", "C0ACME"),
                                  "Globex has no channel C0ACME"),
    "remove the last channel": (("update", "Globex", "--remove-channel", "C0GLOBEX"),
                                "no shared channel left"),
    "unknown option": (("update", "Globex", "--team", "T0NEW"), "unrecognized arguments: --team"),
    "project and no project": (("update", "Globex", "--project", "X", "--no-project"),
                               "not allowed with argument"),
    "remove unknown": (("remove", "Initech"), "No account named 'Initech'"),
}  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    seeded: tuple[Path, str], argv: tuple[str, ...], message: str
) -> None:
    directory, url = seeded
    before = stored(url)
    done = accounts(directory, url, *argv)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert stored(url) == before


def test_a_new_sqlite_file_is_migrated_and_bad_input_creates_none(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    url = f"sqlite:///{path}"
    done = accounts(tmp_path, url, "add", "--name", "Acme", "--tier", "gold", "--channel", "C0A")
    assert done.returncode == 2
    assert not path.exists()
    done = accounts(tmp_path, url, "list")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("No customer accounts yet")
    assert path.exists()


@pytest.mark.postgres
def test_postgres_refuses_until_migrated(tmp_path: Path, postgres_url: str) -> None:
    done = accounts(tmp_path, postgres_url, "list")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.count("\n") == 1
    assert "run `python -m bot migrate` first" in done.stderr
    upgrade(postgres_url)
    add = ("add", "--name", "Acme", "--tier", "ultimate", "--channel", "C0ACME")
    assert accounts(tmp_path, postgres_url, *add).returncode == 0
    assert [account["name"] for account in listed(tmp_path, postgres_url)] == ["Acme"]
    done = accounts(tmp_path, postgres_url, "add", "--name", "acme", "--tier", "ultimate",
                    "--channel", "C0OTHER")  # fmt: skip
    assert (done.returncode, done.stderr) == (2, "An account named 'Acme' already exists.\n")


def test_an_unreachable_database_is_one_line_without_its_password(tmp_path: Path) -> None:
    done = accounts(tmp_path, "postgresql://bot:s3cret@127.0.0.1:1/desk", "list")
    assert done.returncode == 1
    assert done.stderr.startswith("Cannot use postgresql+psycopg://bot:***@127.0.0.1:1/desk: ")
    assert done.stderr.count("\n") == 1
    assert "s3cret" not in done.stderr + done.stdout
