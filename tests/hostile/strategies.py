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

from bot.devtools.harness import CAST

FRESH = "<fresh>"
# Shaped like a Slack id, but longer than any: the columns that keep ids hold 32 characters.
LONG_ID = "U" + "0" * 40
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
    """An id field: a known one, a fresh one, empty, too long for its column; when wild,
    nonsense or the wrong type."""
    tame = st.one_of(st.sampled_from(known), st.just(FRESH), st.just(""), st.just(LONG_ID))
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
