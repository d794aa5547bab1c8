"""The manifests create the app as the code runs it: schema, command, events and scopes.

`manifest.yml` is for HTTP mode, `manifest.socket.yml` for Socket Mode; they differ only
in the request URLs and the Socket Mode switch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from slack_bolt import App, BoltRequest, BoltResponse

from bot.devtools.harness import Harness
from bot.slack.ids import COMMAND
from bot.slack.listeners.events import MESSAGE_EVENTS
from bot.slack.server import SLACK_PATH

REPO = Path(__file__).parents[1]
MANIFEST = REPO / "manifest.yml"
SOCKET_MANIFEST = REPO / "manifest.socket.yml"
# The URL an operator replaces with the bot's public one (README, "Use it with your workspace").
PLACEHOLDER_URL = "https://example.com" + SLACK_PATH
# The shared folder sits beside the repository, in CI as on a workstation.
SCHEMA = Path(__file__).parents[2] / "shared/slack/manifest.schema.1.0.0.json"

# The bot scope each Web API method needs (none: the method needs no scope).
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.delete": "chat:write",
    "chat.getPermalink": None,
    "users.info": "users:read",
    "usergroups.users.list": "usergroups:read",
    "views.open": None,
    "views.update": None,
    "views.push": None,
    "views.publish": None,
    "pins.add": "pins:write",  # the pinned help message in customers' shared channels (§11)
}
# The scope each event subscription needs.
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "message.channels": "channels:history",
    "message.groups": "groups:history",
}
# Scopes no method call shows: the slash command itself, and posting to the desk's public
# channels (support, on-call, escalation) without having to be invited first.
FEATURE_SCOPES = {"commands", "chat:write.public"}
# A Web API call in the app's code: `client.chat_postMessage(`, `self.client.views_open(`.
_CALL = re.compile(r"\.((?:auth|chat|conversations|pins|reactions|usergroups|users|views)_\w+)\(")


def _load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return _load(MANIFEST)


@pytest.fixture(scope="module")
def socket_manifest() -> dict[str, Any]:
    return _load(SOCKET_MANIFEST)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The real Bolt app with every listener registered (against a stand-in Slack)."""
    database = tmp_path_factory.mktemp("manifest") / "bot.db"
    harness = Harness(database_url=f"sqlite:///{database}")
    yield harness.runtime.app
    harness.stop()


@pytest.mark.parametrize("path", [MANIFEST, SOCKET_MANIFEST], ids=lambda path: path.name)
def test_the_manifest_validates_against_slacks_schema(path: Path) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA} (the shared folder is absent)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))

    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft7Validator(schema).iter_errors(_load(path))
    ]

    assert errors == []


def test_the_manifest_sets_up_what_the_app_needs(manifest: dict[str, Any]) -> None:
    features, settings = manifest["features"], manifest["settings"]

    assert features["app_home"]["home_tab_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["org_deploy_enabled"] is False


def test_in_http_mode_slack_posts_everything_to_the_path_the_bot_serves(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]

    assert settings["socket_mode_enabled"] is False
    # Slack requires these URLs without Socket Mode, although its schema does not.
    assert [c.get("url") for c in manifest["features"]["slash_commands"]] == [PLACEHOLDER_URL]
    assert settings["event_subscriptions"]["request_url"] == PLACEHOLDER_URL
    assert settings["interactivity"]["request_url"] == PLACEHOLDER_URL


def test_the_socket_mode_manifest_is_the_http_one_without_urls(
    manifest: dict[str, Any], socket_manifest: dict[str, Any]
) -> None:
    assert socket_manifest["settings"]["socket_mode_enabled"] is True
    assert _urls(socket_manifest) == []
    expected = _without_urls(manifest)
    expected["settings"]["socket_mode_enabled"] = True
    assert socket_manifest == expected


def test_the_readme_setup_steps_match_the_manifests() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    steps = readme.split("## Use it with your workspace", 1)[1].split("\n## ", 1)[0]

    assert f"`{MANIFEST.name}`" in steps
    assert f"`{SOCKET_MANIFEST.name}`" in steps
    assert f"the three `{PLACEHOLDER_URL}` URLs" in steps
    assert steps.count(PLACEHOLDER_URL) == 1
    assert len(_urls(_load(MANIFEST))) == 3
    assert "connections:write" in steps
    assert "SLACK_APP_TOKEN" in steps


def test_the_slash_command_is_the_one_the_code_listens_to(
    manifest: dict[str, Any], app: App
) -> None:
    declared = [c["command"] for c in manifest["features"]["slash_commands"]]

    assert declared == [COMMAND]
    assert _handled(app, _command_body(COMMAND), acked_for_us=False)
    assert not _handled(app, _command_body("/some-other-command"), acked_for_us=False)


def test_the_declared_events_are_exactly_the_ones_the_code_listens_to(
    manifest: dict[str, Any], app: App
) -> None:
    declared = manifest["settings"]["event_subscriptions"]["bot_events"]
    probes = {name: _event_body(name) for name in declared}

    assert sorted(declared) == sorted(set(declared)), "an event is declared twice"
    assert set(MESSAGE_EVENTS) <= set(declared)
    # Every declared event reaches a listener...
    for name, body in probes.items():
        assert _handled(app, body, acked_for_us=True), f"{name} is declared but not handled"
    # ...and every event listener serves a declared event (Bolt acks events for us).
    for listener in _event_listeners(app):
        assert any(_matches(listener, body) for body in probes.values()), (
            f"{listener.ack_function.__qualname__} listens to an event manifest.yml lacks"
        )


def test_the_bot_scopes_are_what_the_app_needs_and_no_more(manifest: dict[str, Any]) -> None:
    declared = set(manifest["oauth_config"]["scopes"]["bot"])
    methods = _methods_called()
    unknown = methods - set(METHOD_SCOPES)
    events = manifest["settings"]["event_subscriptions"]["bot_events"]

    assert unknown == set(), f"add the scopes of {unknown} to METHOD_SCOPES"
    needed = {METHOD_SCOPES[m] for m in methods} | {EVENT_SCOPES[e] for e in events}
    needed = {scope for scope in needed if scope} | FEATURE_SCOPES
    assert declared == needed


def test_the_method_scan_sees_the_apps_calls() -> None:
    methods = _methods_called()

    assert {"chat.postMessage", "chat.update", "views.open", "users.info"} <= methods


def _urls(node: Any) -> list[str]:
    """Every `url` and `request_url` in a manifest."""
    if isinstance(node, list):
        return [url for item in node for url in _urls(item)]
    if not isinstance(node, dict):
        return []
    own = [str(value) for key, value in node.items() if key in ("url", "request_url")]
    return own + [url for key, value in node.items() for url in _urls(value)]


def _without_urls(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_urls(item) for item in node]
    if isinstance(node, dict):
        return {k: _without_urls(v) for k, v in node.items() if k not in ("url", "request_url")}
    return node


def _methods_called() -> set[str]:
    """Web API methods the app's own code calls (the stand-in and driver are Slack's side)."""
    found: set[str] = set()
    for path in (REPO / "bot").rglob("*.py"):
        if "devtools" in path.parts:
            continue
        for snake in _CALL.findall(path.read_text(encoding="utf-8")):
            found.add(snake.replace("_", "."))
    return found


def _event_listeners(app: App) -> list[Any]:
    """Listeners of the Events API: the ones Bolt acknowledges itself."""
    return [listener for listener in app._listeners if listener.auto_acknowledgement]


def _handled(app: App, body: dict[str, Any], *, acked_for_us: bool) -> bool:
    return any(
        _matches(listener, body)
        for listener in app._listeners
        if listener.auto_acknowledgement is acked_for_us
    )


def _matches(listener: Any, body: dict[str, Any]) -> bool:
    request = BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})
    return bool(listener.matches(req=request, resp=BoltResponse(status=200)))


def _command_body(command: str) -> dict[str, Any]:
    return {"command": command, "text": "", "team_id": "T0001", "user_id": "U0ADA"}


def _event_body(subscription: str) -> dict[str, Any]:
    """An Events API envelope for a manifest subscription such as `message.groups`."""
    event_type, _, channel_kind = subscription.partition(".")
    channel_ids = {"channels": "C0PROBE", "groups": "G0PROBE", "im": "D0PROBE", "mpim": "G0PROBE"}
    event: dict[str, Any] = {"type": event_type, "user": "U0PROBE", "ts": "1.000100"}
    if channel_kind:
        event["channel"] = channel_ids[channel_kind]
        event["channel_type"] = {"channels": "channel", "groups": "group"}.get(
            channel_kind, channel_kind
        )
        event["text"] = "probe"
    return {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A0STANDIN",
        "event_id": "Ev0PROBE",
        "event": event,
    }
