""".env.example lists every setting once and says where the Slack ids come from."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings
from tests.app.bot_process import ENV_EXAMPLE

TEXT = ENV_EXAMPLE.read_text(encoding="utf-8")
ASSIGNED = [
    line.partition("=")[0] for line in TEXT.splitlines() if "=" in line and not line.startswith("#")
]


def test_the_example_lists_every_setting_exactly_once() -> None:
    assert sorted(ASSIGNED) == sorted(name.upper() for name in Settings.model_fields)


def test_the_example_says_where_to_find_channel_ids() -> None:
    assert "C0123456789" in TEXT
    assert "channel details" in TEXT
    assert "the Channel ID is at the bottom" in TEXT
    assert "last path segment (.../archives/C0123456789)" in TEXT


def test_the_example_says_where_to_find_user_group_ids() -> None:
    assert "S0123456789" in TEXT
    assert "group's profile" in TEXT
    assert "usergroups.list" in TEXT


def test_the_example_says_which_manifest_goes_with_which_mode() -> None:
    app_token = TEXT.split("SLACK_APP_TOKEN=", 1)[0].rsplit("SLACK_SIGNING_SECRET=", 1)[1]

    assert "manifest.socket.yml" in app_token
    assert "manifest.yml" in app_token
    assert "leave it empty to serve HTTP" in app_token


@pytest.mark.parametrize(
    ("field", "value"),
    [("oncall_channel_id", "#support-oncall"), ("support_usergroup_id", "@support")],
)
def test_a_name_given_for_an_id_points_at_the_example(field: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{field: value})

    assert str(caught.value).endswith("(.env.example says where to find it).")
