"""`python -m bot report`: JSON numbers against a hand-built history, the table, bad databases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest

from bot.cli import main
from bot.db.engine import Database
from bot.domain.accounts import new_account
from bot.domain.calendar import BusinessCalendar
from bot.services.accounts import add_account
from bot.services.reporting import load_report
from tests.services.reporting_history import EXPECTED_SINCE, NOW, SINCE, history, store

AT = NOW.to_iso8601_string()
CALENDAR_SETTINGS = ("BUSINESS_TIMEZONE", "BUSINESS_HOURS", "HOLIDAYS")


@pytest.fixture
def settings_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Point the settings at a database URL, away from any .env or calendar overrides."""
    monkeypatch.chdir(tmp_path)
    for name in CALENDAR_SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)

    return use


@pytest.fixture
def seeded(database: Database, database_url: str, settings_for: Callable[[str], None]) -> None:
    """The hand-built history stored, and the settings pointing `report` at it."""
    store(database, history().values())
    settings_for(database_url)


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_numbers_match_the_hand_built_history(
    seeded: None, capsys: pytest.CaptureFixture[str]
) -> None:

    code, out, err = _report(capsys, "--json", "--since", SINCE, "--at", AT)

    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED_SINCE


def test_without_since_every_request_counts(
    seeded: None, capsys: pytest.CaptureFixture[str]
) -> None:

    code, out, _ = _report(capsys, "--json", "--at", AT)

    data = json.loads(out)
    assert code == 0
    assert data["since"] is None
    # M0 (filed on Saturday 28 February, local time) joins the Medium row.
    assert data["totals"]["filed"] == 14
    assert data["priorities"][1]["filed"] == 4


def test_the_table_reads_per_priority(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:

    code, out, _ = _report(capsys, "--since", SINCE, "--at", AT)

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "SLA report: filed since 2026-03-01, as of Wed 2026-03-11 12:00 EDT (America/New_York)"
    )
    high = next(line for line in lines if line.startswith("High "))
    assert high.split()[1:6] == ["5", "2", "2", "1", "50.0%"]
    total = next(line for line in lines if line.startswith("All "))
    assert "63.6%" in total and "1 d 12 h" not in total
    assert any(line.startswith("Resolution (4 business days)") for line in lines)
    resolution_all = [line for line in lines if line.startswith("All ")][-1]
    assert resolution_all.split()[1:] == ["5", "1", "1", "1", "71.4%"]


def test_a_new_sqlite_file_is_migrated_and_reports_nothing(
    tmp_path: Path, settings_for: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fresh.db"
    path.touch()
    settings_for(f"sqlite:///{path}")

    code, out, _ = _report(capsys, "--json")

    assert code == 0
    assert json.loads(out)["totals"]["filed"] == 0


def test_a_missing_sqlite_database_is_one_clear_line(
    tmp_path: Path, settings_for: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    settings_for(f"sqlite:///{tmp_path / 'nowhere.db'}")

    code, out, err = _report(capsys)

    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "No database at" in err and "nowhere.db" in err
    assert not (tmp_path / "nowhere.db").exists()


def test_a_postgres_schema_behind_says_to_migrate(
    postgres_url: str, settings_for: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    settings_for(postgres_url)

    code, _, err = _report(capsys, "--json")

    assert code == 1
    assert err.count("\n") == 1
    assert "python -m bot migrate" in err


def test_an_unreachable_database_is_one_clear_line(
    settings_for: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    settings_for("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")

    code, _, err = _report(capsys)

    assert code == 1
    assert err.startswith("Cannot read postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    assert "secret" not in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["--since", "March 1"], ["--at", "2026-03-11T12:00:00"], ["--at", "soon"]],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", *argv])

    assert exit_info.value.code == 2
    assert "report: error:" in capsys.readouterr().err


def _with_accounts(database: Database) -> tuple[int, int]:
    """Acme and Globex; of the hand-built history, H1, H3, M1 and C2 are Acme's."""
    now = pendulum.datetime(2026, 3, 1, 12, 0, tz="UTC")
    acme = add_account(
        database, new_account(name="Acme", tier="enterprise", channels=["C0ACME"]), now=now
    )
    globex = add_account(
        database, new_account(name="Globex", tier="ultimate", channels=["C0GLOBEX"]), now=now
    )
    requests = history()
    acme_names = {"H1", "H3", "M1", "C2"}
    store(
        database,
        [r.but(account_id=acme.id if name in acme_names else None) for name, r in requests.items()],
    )
    return acme.id, globex.id


@pytest.fixture
def accounts(
    database: Database, database_url: str, settings_for: Callable[[str], None]
) -> tuple[int, int]:
    """The hand-built history with two customer accounts, the settings pointing at it."""
    ids = _with_accounts(database)
    settings_for(database_url)
    return ids


def test_an_account_report_counts_only_its_requests(
    accounts: tuple[int, int], database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    acme_id, _ = accounts

    code, out, err = _report(capsys, "--json", "--account", "aCmE", "--at", AT)

    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["account"] == "Acme"
    assert data["totals"]["filed"] == 4
    expected = load_report(
        database, calendar=BusinessCalendar.default(), now=NOW, account_id=acme_id
    )
    assert {key: value for key, value in data.items() if key != "account"} == expected.to_json()
    high = data["priorities"][2]
    assert (high["priority"], high["filed"], high["first_response_late"]) == ("high", 2, 1)


def test_an_account_without_requests_reports_nothing_and_the_table_names_it(
    accounts: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:

    code, out, _ = _report(capsys, "--account", "Globex", "--since", SINCE, "--at", AT)

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("SLA report: Globex, filed since 2026-03-01, as of Wed 2026-03-11")
    total = next(line for line in lines if line.startswith("All "))
    assert total.split()[1:5] == ["0", "0", "0", "0"]


def test_an_unknown_account_is_one_line_and_exit_2(
    accounts: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:

    code, out, err = _report(capsys, "--json", "--account", "Initech")

    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "No customer account is named 'Initech'" in err
