"""Slack's inbound payloads, from plausible to wild: slash commands, modal submissions,
block actions and message events, each built on the hostile pieces in strategies.py."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from bot.devtools.actors import filing_values
from bot.devtools.harness import CAST
from bot.slack.ids import Action, Callback, Field
from tests.hostile.strategies import (
    CHANNELS,
    FRESH,
    MISSING,
    RESPONSE_URL,
    STRANGERS,
    broken,
    ids,
    junk,
    put,
    tame_or_wild,
    text,
    vary,
)

# Slash commands


def command_fields(*, as_text: bool) -> SearchStrategy[dict[str, Any]]:
    """The slash command's fields, varied (form values are always strings on the wire)."""
    fields = tame_or_wild(_command_fields)
    if as_text:
        return fields.map(lambda found: {k: _as_text(v) for k, v in found.items()})
    return fields


def _command_fields(*, wild: bool) -> SearchStrategy[dict[str, Any]]:
    base = {
        "token": "standin-verification-token",
        "team_id": "T0001",
        "team_domain": "standin",
        "channel_id": CAST.support_channel,
        "channel_name": "support",
        "user_id": CAST.admin,
        "user_name": "ada",
        "command": "/kustomer-support",
        "text": "",
        "api_app_id": "A0STANDIN",
        "is_enterprise_install": "false",
        "response_url": RESPONSE_URL,
        "trigger_id": FRESH,
    }
    words = st.sampled_from(("help", "status", "list", " LIST x", "payload", "status <!here>"))
    choices = {
        "user_id": ids(CAST.admin, *STRANGERS, wild=wild),
        "channel_id": ids(*CHANNELS, wild=wild),
        "team_id": ids("T0001", "T9OTHER", wild=wild),
        "command": st.one_of(st.sampled_from(("/kustomer-support", "/other")), text()),
        "text": st.one_of(words, words, text()),
        "trigger_id": ids(FRESH, wild=wild),
        "response_url": st.one_of(st.just(RESPONSE_URL), text()),
    }
    return vary(base, choices, wild=wild)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# Modal submissions


def _option(values: SearchStrategy[Any]) -> SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda value: {"text": {"type": "plain_text", "text": str(value)[:75]}, "value": value},
        values,
    )


def _field_state(field: Field) -> SearchStrategy[Any]:
    """One input's state: a plausible answer, hostile text, or a shape Slack never sends."""
    plausible = st.sampled_from(("critical", "high", "low", "chat", "thread", "one_issue"))
    option = _option(st.one_of(plausible, text()))
    shapes = st.one_of(
        st.fixed_dictionaries({"type": st.just("plain_text_input"), "value": text()}),
        st.fixed_dictionaries({"type": st.just("radio_buttons"), "selected_option": option}),
        st.fixed_dictionaries({"selected_options": st.lists(option | junk(), max_size=3)}),
        junk(),
    )
    return st.one_of(shapes.map(lambda state: {field.value: state}), junk())


def _answered_form() -> SearchStrategy[dict[str, Any]]:
    """A complete answer whose words are hostile: it files when the words fit."""
    return st.builds(
        filing_values,
        subject=text(),
        description=text(),
        impact=st.sampled_from(("critical", "high", "medium", "low")) | st.none(),
        area=st.sampled_from(("chat", "email", "other")),
        project=st.none() | text(),
        one_issue=st.booleans(),
    )


def state_values(*, wild: bool) -> SearchStrategy[Any]:
    """view.state.values: a hostile answer, inputs answered oddly or missing; or junk."""
    inputs = st.fixed_dictionaries({}, optional={f.value: _field_state(f) for f in Field})
    return st.one_of(_answered_form(), _answered_form(), inputs, *([junk()] if wild else []))


def metadata(*, wild: bool) -> SearchStrategy[Any]:
    """private_metadata: ours, plausible JSON with hostile parts, text, or the wrong type."""
    origin = {
        "route": st.sampled_from(("chat", "email")) | junk(),
        "origin_channel_id": ids(*CHANNELS, wild=True),
        "origin_thread_ts": ids("1700000000.000100", wild=True),
    }
    shaped = st.fixed_dictionaries({}, optional=origin).map(json.dumps)
    ours = st.just('{"origin_channel_id":"C0SUPPORT"}')
    return st.one_of(ours, shaped, text(), *([junk()] if wild else []))


def _user(*, wild: bool) -> SearchStrategy[Any]:
    user = st.fixed_dictionaries(
        {"id": ids(CAST.admin, *STRANGERS, wild=wild)},
        optional={"team_id": ids("T0001", wild=wild), "name": text()},
    )
    return st.one_of(user, junk()) if wild else user


def _interaction(kind: str, user_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "team": {"id": "T0001", "domain": "standin"},
        "user": {"id": user_id, "username": "someone", "name": "someone", "team_id": "T0001"},
        "api_app_id": "A0STANDIN",
        "token": "standin-verification-token",
        "trigger_id": FRESH,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def submission(modal: dict[str, Any], values: dict[str, Any], **user: str) -> dict[str, Any]:
    """One plain submission of the modal (for the examples every run tries)."""
    payload = _interaction("view_submission", CAST.admin)
    payload["user"] = {**payload["user"], **user}
    return {**payload, "view": {**modal, "id": FRESH, "state": {"values": values}}}


def submissions(modal: dict[str, Any]) -> SearchStrategy[dict[str, Any]]:
    """A view_submission (or view_closed) payload for our modal, or a view that is not ours."""
    return tame_or_wild(_submissions, modal)


@st.composite
def _submissions(draw: st.DrawFn, modal: dict[str, Any], *, wild: bool) -> dict[str, Any]:
    read = {
        "id": FRESH,
        "type": modal["type"],
        "callback_id": modal["callback_id"],
        "private_metadata": modal["private_metadata"],
        "hash": "1.abc",
    }
    choices = {
        "callback_id": st.one_of(st.just(Callback.FILE_REQUEST.value), text()),
        "private_metadata": metadata(wild=wild),
        "id": ids(FRESH, "V0SAME", wild=wild),
        "type": st.sampled_from(("modal", "home", "workflow_step")),
    }
    view = {k: v for k, v in modal.items() if k not in read} | draw(vary(read, choices, wild=wild))
    values = draw(broken(state_values(wild=wild), wild=wild))
    view = put(view, "state", draw(broken(st.just(put({}, "values", values)), wild=wild)))
    kinds = {
        "type": st.sampled_from(("view_submission", "view_submission", "view_closed")),
        "user": _user(wild=wild),
    }
    payload = draw(vary(_interaction("view_submission", CAST.admin), kinds, wild=wild))
    return put(payload, "view", draw(broken(st.just(view), wild=wild)))


# Buttons and menus


def _action_entry(request_id: int, *, wild: bool) -> SearchStrategy[Any]:
    """One entry of `actions`: our ids and others, values naming the request or nonsense."""
    prefill = st.builds(
        lambda words, origin: json.dumps({"t": words, "o": origin}),
        text(),
        st.one_of(st.just([CAST.support_channel, "1700000000.000100"]), junk()),
    )
    value = st.one_of(
        st.sampled_from((str(request_id), f"{request_id}:critical", "999999", "-1", "1e3", "chat")),
        prefill,
        text(),
    )
    entry = {
        "type": "button",
        "action_id": Action.TAKE.value,
        "block_id": "request_actions",
        "value": str(request_id),
        "action_ts": "1700000000.000200",
    }
    choices = {
        "action_id": st.one_of(st.sampled_from([*Action, Field.AREA]).map(str), text()),
        "value": value,
        "selected_option": st.fixed_dictionaries({}, optional={"value": value}),
        "type": st.sampled_from(("button", "static_select", "overflow")),
    }
    # The action id picks the listener: keep it, or choose another, never drop it when tame.
    varied = vary(entry, choices, wild=wild).flatmap(
        lambda found: (
            st.sampled_from((found, {**found, "action_id": entry["action_id"]}))
            if "action_id" not in found and not wild
            else st.just(found)
        )
    )
    return st.one_of(varied, junk()) if wild else varied


def block_actions(request_id: int, root: dict[str, Any]) -> SearchStrategy[dict[str, Any]]:
    """A block_actions payload from a message, an ephemeral, the Home tab, or nowhere."""
    return tame_or_wild(_block_actions, request_id, root)


@st.composite
def _block_actions(
    draw: st.DrawFn, request_id: int, root: dict[str, Any], *, wild: bool
) -> dict[str, Any]:
    base = {
        **_interaction("block_actions", CAST.customer),
        "container": {
            "type": "message",
            "message_ts": root["ts"],
            "channel_id": root["channel"],
            "is_ephemeral": False,
        },
        "channel": {"id": root["channel"], "name": "support"},
        "message": {"type": "message", "ts": root["ts"], "text": ""},
        "response_url": RESPONSE_URL,
        "state": {"values": {}},
    }
    container = st.fixed_dictionaries(
        {},
        optional={
            "channel_id": ids(*CHANNELS, wild=wild),
            "thread_ts": ids(root["ts"], wild=wild),
            "message_ts": ids(root["ts"], wild=wild),
        },
    )
    home = st.fixed_dictionaries(
        {"type": st.just("home")}, optional={"id": ids("V0HOME", wild=wild)}
    )
    choices = {
        "user": _user(wild=wild),
        "container": container,
        "channel": st.fixed_dictionaries({"id": ids(*CHANNELS, wild=wild)}),
    }
    payload = draw(vary(base, choices, wild=wild))
    payload = put(
        payload, "view", draw(st.one_of(st.just(MISSING), home, *([junk()] if wild else [])))
    )
    actions = st.lists(_action_entry(request_id, wild=wild), min_size=1, max_size=2)
    return put(payload, "actions", draw(broken(actions, wild=wild)))


# Message events


def message_events(root: dict[str, Any]) -> SearchStrategy[dict[str, Any]]:
    """An event_callback envelope around a message (or another event, or none)."""
    return tame_or_wild(_message_events, root)


@st.composite
def _message_events(draw: st.DrawFn, root: dict[str, Any], *, wild: bool) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel": root["channel"],
        "user": CAST.admin,
        "ts": FRESH,
        "thread_ts": root["ts"],
        "event_ts": FRESH,
        "team": "T0001",
        "channel_type": "channel",
    }
    subtypes = ("bot_message", "thread_broadcast", "file_share", "message_changed")
    choices = {
        "type": st.sampled_from(("message", "app_home_opened", "reaction_added")),
        "channel": ids(*CHANNELS, wild=wild),
        "user": ids(CAST.admin, CAST.engineer, *STRANGERS, wild=wild),
        "ts": ids(FRESH, wild=wild),
        "thread_ts": ids(root["ts"], "1700000000.999999", wild=wild),
        "subtype": st.sampled_from(subtypes) | (junk() if wild else text()),
        "bot_id": ids("B0OTHER", wild=wild),
        "channel_type": st.sampled_from(("channel", "group", "im")),
    }
    varied = put(draw(vary(event, choices, wild=wild)), "text", draw(broken(text(), wild=wild)))
    envelope = {
        "token": "standin-verification-token",
        "team_id": "T0001",
        "api_app_id": "A0STANDIN",
        "type": "event_callback",
        "event_id": FRESH,
        "event_time": 1700000000,
    }
    payload = draw(vary(envelope, {"event_id": ids(FRESH, "Ev0SAME", wild=wild)}, wild=wild))
    return put(payload, "event", draw(broken(st.just(varied), wild=wild)))
