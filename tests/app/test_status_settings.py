"""STATUS_PAGE_URL and STATUS_POLL_SECONDS: off by default, validated like every setting."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


def test_the_feature_is_off_unless_a_status_page_is_named() -> None:
    settings = load_settings(_env_file=None)

    assert settings.status_page_url is None
    assert settings.status_poll_seconds == 300


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://status.kustomer.com", "https://status.kustomer.com"),
        ("https://status.kustomer.com/", "https://status.kustomer.com"),
        ("https://status.kustomer.com/api/v2/", "https://status.kustomer.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("  ", None),  # blank is unset
    ],
)
def test_a_status_page_url_is_kept_as_the_page_base(given: str, kept: str | None) -> None:
    assert load_settings(_env_file=None, status_page_url=given).status_page_url == kept


@pytest.mark.parametrize("bad", ["status.kustomer.com", "ftp://status.example", "https://x/?a=1"])
def test_a_bad_status_page_url_is_named_with_what_it_expects(bad: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None, status_page_url=bad)

    (line,) = raised.value.problems
    assert line.startswith("Setting STATUS_PAGE_URL is invalid")
    assert "Statuspage-compatible" in line


@pytest.mark.parametrize("seconds", ["1", "1.5", "86400"])
def test_any_poll_interval_of_a_second_or_more_is_accepted(seconds: str) -> None:
    settings = load_settings(_env_file=None, status_poll_seconds=seconds)

    assert settings.status_poll_seconds == float(seconds)


@pytest.mark.parametrize("seconds", ["0", "0.5", "-3", "often"])
def test_a_poll_interval_under_a_second_is_refused(seconds: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None, status_poll_seconds=seconds)

    (line,) = raised.value.problems
    assert line.startswith("Setting STATUS_POLL_SECONDS is invalid")
    assert "at least 1" in line


def test_the_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATUS_PAGE_URL", "https://status.kustomer.com")
    monkeypatch.setenv("STATUS_POLL_SECONDS", "60")

    settings = load_settings(_env_file=None)

    assert (settings.status_page_url, settings.status_poll_seconds) == (
        "https://status.kustomer.com",
        60,
    )
