"""The shared block builders: safe cuts, escaping, line packing."""

from __future__ import annotations

import dataclasses

import pendulum
import pytest
from surface_checks import assert_valid_message

from bot.slack.surfaces.blocks import (
    Message,
    button,
    clip,
    fields,
    line_sections,
    option,
    static_select,
    user_ref,
    user_text,
    when,
)


def test_clip_keeps_short_text() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"


@pytest.mark.parametrize("cut", range(1, 12))
def test_clip_never_leaves_half_an_entity(cut: int) -> None:
    text = "ab &amp; &lt;!here&gt; end"
    clipped = clip(text, len(text) - cut)
    assert len(clipped) <= len(text) - cut
    body = clipped.removesuffix("…")
    assert body.count("&") == body.count(";")


def test_clip_never_leaves_half_a_token() -> None:
    token = "<!date^1741618800^{date_short_pretty} at {time}|2025-03-10 15:00 UTC>"
    clipped = clip(f"due {token} ok", 20)
    assert clipped == "due…"
    assert "<" not in clipped


def test_user_text_escapes_then_fits() -> None:
    assert user_text("<!channel> & co", 100) == "&lt;!channel&gt; &amp; co"
    cut = user_text("&" * 100, 22)
    assert cut == "&amp;" * 4 + "…"


def test_when_is_a_date_token_for_aware_and_naive_instants() -> None:
    instant = pendulum.datetime(2025, 3, 10, 15, 0, tz="Europe/Paris")
    assert when(instant).startswith(f"<!date^{int(instant.timestamp())}^")
    assert when(instant.naive()) == when(pendulum.datetime(2025, 3, 10, 15, 0, tz="UTC"))


def test_user_ref_mentions_only_real_ids() -> None:
    assert user_ref("U0ABC") == "<@U0ABC>"
    assert user_ref(None) == "Unassigned"
    assert user_ref("<!channel>") == "&lt;!channel&gt;"


def test_fields_limits() -> None:
    with pytest.raises(ValueError, match="1 to 10"):
        fields([("a", "b")] * 11)
    long = fields([("Label", "x" * 5000)])
    assert len(long["fields"][0]["text"]) == 2000


def test_option_and_button_text_fit() -> None:
    assert len(option("o" * 100, "v", description="d" * 100)["text"]["text"]) == 75
    assert len(option("o", "v", description="d" * 100)["description"]["text"]) == 75
    assert len(button("b" * 100, action_id="a")["text"]["text"]) == 75


def test_static_select_initial_option_is_an_offered_option() -> None:
    options = [option("A", "a"), option("B", "b")]
    assert (
        static_select(action_id="x", placeholder="p", options=options, initial_value="b")[
            "initial_option"
        ]
        == options[1]
    )
    assert "initial_option" not in static_select(
        action_id="x", placeholder="p", options=options, initial_value="zzz"
    )


def test_line_sections_pack_lines() -> None:
    blocks = line_sections([f"line {i}" for i in range(10)], max_blocks=5)
    assert len(blocks) == 1
    assert blocks[0]["text"]["text"].count("\n") == 9


def test_line_sections_cap_blocks_and_say_how_many_more() -> None:
    lines = ["x" * 1000] * 200
    blocks = line_sections(lines, max_blocks=10, more=" — see the list")
    assert len(blocks) == 10
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks[:-1])
    shown = sum(b["text"]["text"].count("x" * 1000) for b in blocks[:-1])
    assert blocks[-1]["elements"][0]["text"] == f"…and {200 - shown} more — see the list"
    assert_valid_message(Message(text="t", blocks=blocks))


def test_line_sections_cap_lines() -> None:
    blocks = line_sections(["a"] * 30, max_blocks=10, max_lines=5)
    assert blocks[0]["text"]["text"] == "\n".join(["a"] * 5)
    assert blocks[1]["elements"][0]["text"] == "…and 25 more"


def test_message_is_frozen() -> None:
    message = Message(text="t", blocks=[])
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.text = "other"  # type: ignore[misc]
