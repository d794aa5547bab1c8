"""`python -m bot migrate`: upgrades, says from where to where, never shows a password."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.cli.migrate import check_database, migrate_database, safe_url
from bot.db.migrate import current_revision, head_revision


def test_safe_url_masks_the_password() -> None:
    url = "postgresql://bot:s3cr%40t@db.internal:5432/desk"
    assert safe_url(url) == "postgresql+psycopg://bot:***@db.internal:5432/desk"


def test_migrate_then_nothing_to_do(database_url: str) -> None:
    out = io.StringIO()
    assert check_database(database_url, out=out) == 1
    assert migrate_database(database_url, out=out) == 0
    assert current_revision(database_url) == head_revision()
    assert check_database(database_url, out=out) == 0
    assert migrate_database(database_url, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].endswith(f"is at (empty); this version needs {head_revision()}.")
    assert lines[1].endswith(f": (empty) -> {head_revision()}.")
    assert lines[2].endswith("up to date.")
    assert lines[3].endswith(f"is already at {head_revision()}: nothing to do.")


def test_migrate_command_uses_database_url(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = make_url(database_url)
    if with_password.get_backend_name() == "postgresql":
        with_password = with_password.set(password="s3cret")  # trust auth ignores it
    monkeypatch.setenv("DATABASE_URL", with_password.render_as_string(hide_password=False))

    assert main(["migrate", "--check"]) == 1
    assert main(["migrate"]) == 0
    assert main(["migrate", "--check"]) == 0
    printed = capsys.readouterr().out
    assert f"-> {head_revision()}" in printed
    assert "s3cret" not in printed


def test_unreachable_database_is_one_line_without_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:s3cret@127.0.0.1:1/desk")
    assert main(["migrate"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("Cannot migrate postgresql+psycopg://bot:***@127.0.0.1:1/desk")
    assert captured.err.count("\n") == 1
    assert "s3cret" not in captured.err + captured.out
