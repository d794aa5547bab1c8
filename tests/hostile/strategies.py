"""Hostile inputs for every inbound parser: text, fields of the wrong shape, broken bodies.

Strategies give plain data; the tests sign and send it. Two placeholders stand for values
only the running world knows: FRESH (a new trigger id, view id or ts per example) and
RESPONSE_URL (a response_url the stand-in serves).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from bot.devtools.actors import filing_values
from bot.devtools.harness import CAST
from bot.slack.ids import Action, Callback, Field

FRESH = "<fresh>"
RESPONSE_URL = "<response-url>"
# Tokens that would ping, link or mention if they reached a message unescaped.
MENTIONS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S1>",
    "<!subteam^S1|@team>",
    "<@U1>",
    "<@U1|someone>",
)
MARKUP = (
    "*bold*",
    "_it_",
    "~gone~",
    "`x`",
    "```\ncode\n```",
    "> quoted",
    "<https://evil.example|click me>",
    "<#C1>",
    "<!date^1^{date}|x>",
    "<b>html</b>",
    "<script>alert(1)</script>",
    "&amp;",
    "&lt;!channel&gt;",
    "&",
    "<",
    ">",
    "\u202e",
    "\u200b",
    "\x07",
    "\r\n",
    "\t",
    ":skull:",
    "😀",
    "payload",
    "help",
    "status",
    "list",
    "1. one\n2. two\n3. three",
)
PIECES = MENTIONS + MARKUP
# Long enough to pass every limit we or Slack have (message text stops at 40,000).
SIZES = (151, 3001, 40_000)

# People who may not change the filed request: a customer, strangers, Slack-shaped and not.
STRANGERS = (CAST.customer, "U9STRANGER", "W0ENTERPRISE", "UBOT")
CHANNELS = (
    CAST.support_channel,
    CAST.email_channel,
    CAST.oncall_channel,
    "C9ELSEWHERE",
    "D0DIRECT",
)


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def text() -> SearchStrategy[str]:
    """Arbitrary unicode (control characters too), mention tokens, mrkdwn, HTML, huge."""
    pieces = st.lists(st.one_of(st.sampled_from(PIECES), _chars(12)), min_size=1, max_size=8)
    huge = st.builds(_repeat, st.sampled_from((*PIECES, "x", "é", "字")), st.sampled_from(SIZES))
    return st.one_of(pieces.map("".join), _chars(40), huge)


def _chars(most: int) -> SearchStrategy[str]:
    """Any unicode a Slack client can send: control characters too, but no NUL (the guard
    refuses NUL, see broken_bodies, and every example spent on it reaches no listener)."""
    return st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=most)


def junk() -> SearchStrategy[Any]:
    """Any JSON value: the wrong type for whatever field it lands in."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        text(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_chars(8), inner),
        max_leaves=6,
    )


def ids(*known: str, wild: bool) -> SearchStrategy[Any]:
    """An id field: a known one, a fresh one, empty; when wild, nonsense or the wrong type."""
    tame = st.one_of(st.sampled_from(known), st.just(FRESH), st.just(""))
    return st.one_of(tame, text(), junk()) if wild else tame


MISSING = object()


@st.composite
def broken(draw: st.DrawFn, strategy: SearchStrategy[Any], *, wild: bool) -> Any:
    """Mostly `strategy`; sometimes missing (MISSING); when wild, sometimes the wrong type."""
    roll = draw(st.integers(0, 9))  # small rolls are the simple case hypothesis tries first
    if roll == 8:
        return MISSING
    return draw(junk()) if roll == 9 and wild else draw(strategy)


def put(target: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """`target` with `key` set to `value`, or without `key` when `value` is MISSING."""
    result = {k: v for k, v in target.items() if k != key}
    if value is not MISSING:
        result[key] = value
    return result


@st.composite
def vary(
    draw: st.DrawFn,
    base: dict[str, Any],
    choices: dict[str, SearchStrategy[Any]],
    *,
    wild: bool,
) -> dict[str, Any]:
    """`base` with each field kept, dropped or replaced; when wild, by junk too; plus extras.

    Most fields stay as they are, so most examples still reach the listeners.
    """
    result = dict(base)
    for key in base:
        roll = draw(st.integers(0, 9))  # 2 in 10 varied, 1 dropped, 1 junk when wild
        if roll in (6, 7) and key in choices:
            result[key] = draw(choices[key])
        elif roll == 8:
            del result[key]
        elif roll == 9 and wild:
            result[key] = draw(junk())
    extra = junk() if wild else text()
    result.update(draw(st.dictionaries(_chars(10), extra, max_size=2)))
    return result


def tame_or_wild(build: Any, *args: Any) -> SearchStrategy[Any]:
    """Two in three examples keep Slack's types (and reach the listeners); one is wild."""
    return st.integers(0, 2).flatmap(lambda roll: build(*args, wild=roll == 2))


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
        st.sampled_from((str(request_id), f"{request_id}:critical", "999999", "-1", "1e3")),
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
        "action_id": st.one_of(st.sampled_from([a.value for a in Action]), text()),
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


# Bodies Bolt cannot parse


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def broken_bodies() -> SearchStrategy[tuple[bytes, str]]:
    """(body, content type): bytes that are not JSON, not UTF-8, not an object, too deep."""
    json_type = st.sampled_from(("application/json", "application/json; charset=utf-8"))
    form_type = st.just("application/x-www-form-urlencoded")
    any_type = st.one_of(json_type, form_type, st.sampled_from(("text/plain", "", "x/y")))
    deep = st.sampled_from((40, 200, 5_000, 200_000)).map(
        lambda depth: '{"type":"event_callback","event":' + _nested(depth) + "}"
    )
    shaped = st.one_of(
        st.just('{"type":"event_callback","event":null}'),
        st.just('{"type":"block_actions","actions":[]}'),
        st.just('{"type":"view_submission","view":"x"}'),
        st.just('{"type":"view_submission","view":{"callback_id":"file_request","state":"x"}}'),
        st.just('{"type":"event_callback","event":{"type":"message","text":"\\ud800"}}'),
        st.just('{"command":"/kustomer-support","text":"a\\u0000b"}'),
        st.just('{"type":"event_callback","event":"message"}'),
        st.just('{"command":"/kustomer-support","user_id":7}'),
        st.just("[1, 2]"),
        st.just('"text"'),
        st.just("{"),
        st.just("NaN"),
        st.just('{"a":' + "1" * 5000 + "}"),
        deep,
        junk().map(json.dumps),
        st.text(max_size=200),
    ).map(str.encode)
    payloads = st.one_of(
        shaped.map(lambda raw: b"payload=" + _quote(raw)),
        st.just(b"payload=%FF%FE"),
        st.just(b"payload="),
    )
    raw = st.one_of(
        st.binary(max_size=200),
        st.just(b"\xff\xfe\x00{"),
        st.just('{"type":"event_callback"}'.encode("utf-16")),
    )
    return st.one_of(
        st.tuples(shaped, json_type),
        st.tuples(payloads, form_type),
        st.tuples(st.one_of(shaped, payloads, raw), any_type),
    )


def _quote(raw: bytes) -> bytes:
    from urllib.parse import quote_from_bytes

    return quote_from_bytes(raw).encode()
