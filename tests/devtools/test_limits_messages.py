"""check_message: message limits, walking every nested element."""

from __future__ import annotations

from typing import Any

import pytest

from bot.devtools.limits import check_message

from .blockkit import actions, button, mrkdwn, option, plain, section, static_select

Blocks = list[dict[str, Any]]


def _pointers(blocks: Blocks | None, text: str | None = "fallback") -> list[str]:
    return [
        error.rsplit("[json-pointer:", 1)[1].rstrip("]") for error in check_message(blocks, text)
    ]


def _root_message() -> Blocks:
    """A request root message: header, fields, buttons, overflow, context."""
    return [
        {"type": "header", "text": plain("h" * 150)},
        section(
            "s" * 3000,
            fields=[mrkdwn("f" * 2000) for _ in range(10)],
            accessory={
                "type": "overflow",
                "action_id": "more",
                "options": [option("a"), {**option("b"), "url": "https://example.com"}],
            },
        ),
        actions(
            *[button(f"b{i}", "t" * 75, value="v" * 2000, style="primary") for i in range(25)],
            block_id="root_actions",
        ),
        {"type": "context", "elements": [mrkdwn("c") for _ in range(10)]},
        {"type": "divider"},
        {"type": "image", "image_url": "https://example.com/x.png", "alt_text": "chart"},
        {"type": "rich_text", "elements": []},
    ]


def test_rich_root_message_at_every_boundary_is_valid() -> None:
    assert check_message(_root_message(), "Request #1") == []


def test_text_only_and_blocks_only_messages() -> None:
    assert check_message(None, "hello") == []
    assert check_message([section()], None) == []
    assert _pointers(None, None) == ["/text"]
    assert _pointers([], "") == ["/text"]


def test_text_limit() -> None:
    assert check_message(None, "x" * 40_000) == []
    assert _pointers(None, "x" * 40_001) == ["/text"]


def test_block_count() -> None:
    assert check_message([section() for _ in range(50)], None) == []
    assert _pointers([section() for _ in range(51)]) == ["/blocks"]


@pytest.mark.parametrize(
    ("block", "pointer"),
    [
        (section("s" * 3001), "/blocks/0/text/text"),
        ({"type": "header", "text": plain("h" * 151)}, "/blocks/0/text/text"),
        ({"type": "header", "text": mrkdwn("h")}, "/blocks/0/text/type"),
        (section(fields=[mrkdwn("f")] * 11), "/blocks/0/fields"),
        (section(fields=[mrkdwn("f" * 2001)]), "/blocks/0/fields/0/text"),
        ({"type": "section"}, "/blocks/0"),
        (section(block_id="b" * 256), "/blocks/0/block_id"),
        (section(text=""), "/blocks/0/text/text"),
        ({"type": "section", "text": {"type": "html", "text": "x"}}, "/blocks/0/text/type"),
        ({"type": "section", "text": {**mrkdwn("x"), "emoji": True}}, "/blocks/0/text/emoji"),
        (actions(*[button(f"b{i}") for i in range(26)]), "/blocks/0/elements"),
        (actions(), "/blocks/0/elements"),
        (actions(button(text="t" * 76)), "/blocks/0/elements/0/text/text"),
        (actions(button(value="v" * 2001)), "/blocks/0/elements/0/value"),
        (actions(button(url="u" * 3001)), "/blocks/0/elements/0/url"),
        (actions(button(style="blue")), "/blocks/0/elements/0/style"),
        (actions(button(action_id="a" * 256)), "/blocks/0/elements/0/action_id"),
        (actions({"type": "plain_text_input", "action_id": "x"}), "/blocks/0/elements/0/type"),
        (actions({"type": "mystery"}), "/blocks/0/elements/0/type"),
        ({"type": "context", "elements": [mrkdwn("c")] * 11}, "/blocks/0/elements"),
        (
            {"type": "context", "elements": [{"type": "image", "alt_text": "a"}]},
            "/blocks/0/elements/0/image_url",
        ),
        ({"type": "image", "image_url": "https://x"}, "/blocks/0/alt_text"),
        ({"type": "carousel"}, "/blocks/0/type"),
    ],
)
def test_single_block_violations(block: dict[str, Any], pointer: str) -> None:
    assert _pointers([block]) == [pointer]


def test_section_accessory_types() -> None:
    assert check_message([section(accessory=button())], None) == []
    text_input = {"type": "plain_text_input", "action_id": "x"}
    assert _pointers([section(accessory=text_input)]) == ["/blocks/0/accessory/type"]


def test_duplicate_block_ids_in_a_message() -> None:
    blocks = [section(block_id="same"), section(block_id="other"), section(block_id="same")]
    assert _pointers(blocks) == ["/blocks/2/block_id"]
    assert "duplicate block_id: same" in check_message(blocks, None)[0]


def test_duplicate_action_ids_within_one_actions_block() -> None:
    blocks = [actions(button("take"), button("take")), actions(button("take"))]
    assert _pointers(blocks) == ["/blocks/0/elements/1/action_id"]


def test_confirm_dialog_limits() -> None:
    confirm = {
        "title": plain("t" * 100),
        "text": mrkdwn("x" * 300),
        "confirm": plain("y" * 30),
        "deny": plain("n" * 30),
    }
    assert check_message([actions(button(confirm=confirm))], None) == []
    too_long = {**confirm, "deny": plain("n" * 31)}
    assert _pointers([actions(button(confirm=too_long))]) == [
        "/blocks/0/elements/0/confirm/deny/text"
    ]


class TestSelectOptions:
    """Option limits inside dict-built selects, which slack_sdk never checks."""

    def test_hundred_options_is_fine(self) -> None:
        select = static_select([option(f"v{i}") for i in range(100)])
        assert check_message([actions(select)], None) == []

    def test_option_count_text_and_value(self) -> None:
        select = static_select([option(f"v{i}") for i in range(101)])
        assert _pointers([actions(select)]) == ["/blocks/0/elements/0/options"]
        select = static_select([option("v" * 150, "t" * 75), option("v" * 151, "t" * 76)])
        assert _pointers([actions(select)]) == [
            "/blocks/0/elements/0/options/1/text/text",
            "/blocks/0/elements/0/options/1/value",
        ]

    def test_select_options_must_be_plain_text(self) -> None:
        select = static_select([{"text": mrkdwn("*x*"), "value": "x"}])
        assert _pointers([actions(select)]) == ["/blocks/0/elements/0/options/0/text/type"]

    def test_option_groups(self) -> None:
        groups = [{"label": plain("g" * 75), "options": [option("a")]}]
        select = static_select([], option_groups=groups)
        del select["options"]
        assert check_message([actions(select)], None) == []
        groups.append({"label": plain("g" * 76), "options": [option(f"{i}") for i in range(101)]})
        assert _pointers([actions(select)]) == [
            "/blocks/0/elements/0/option_groups/1/label/text",
            "/blocks/0/elements/0/option_groups/1/options",
        ]

    def test_exactly_one_of_options_and_groups(self) -> None:
        both = static_select([option("a")], option_groups=[])
        assert _pointers([actions(both)]) == ["/blocks/0/elements/0"]

    def test_initial_option_must_match(self) -> None:
        good = static_select([option("a", "A")], initial_option=option("a", "A"))
        assert check_message([actions(good)], None) == []
        bad = static_select([option("a", "A")], initial_option=option("a", "Other"))
        assert _pointers([actions(bad)]) == ["/blocks/0/elements/0/initial_option"]

    def test_placeholder_limit(self) -> None:
        select = static_select([option("a")], placeholder=plain("p" * 151))
        assert _pointers([actions(select)]) == ["/blocks/0/elements/0/placeholder/text"]

    def test_multi_select_max_selected_items(self) -> None:
        select = static_select([option("a")], max_selected_items=0)
        select["type"] = "multi_static_select"
        assert _pointers([actions(select)]) == ["/blocks/0/elements/0/max_selected_items"]

    def test_description_limit(self) -> None:
        described = {**option("a"), "description": plain("d" * 76)}
        assert _pointers([actions(static_select([described]))]) == [
            "/blocks/0/elements/0/options/0/description/text"
        ]


class TestChoices:
    """Checkboxes and radio buttons: at most 10 options, mrkdwn text allowed."""

    @pytest.mark.parametrize("kind", ["checkboxes", "radio_buttons"])
    def test_ten_options_limit(self, kind: str) -> None:
        ten = {"type": kind, "action_id": "c", "options": [option(f"{i}") for i in range(10)]}
        assert check_message([actions(ten)], None) == []
        eleven = {**ten, "options": [option(f"{i}") for i in range(11)]}
        assert _pointers([actions(eleven)]) == ["/blocks/0/elements/0/options"]

    def test_mrkdwn_option_text_is_allowed(self) -> None:
        box = {
            "type": "checkboxes",
            "action_id": "c",
            "options": [{"text": mrkdwn("*a*"), "value": "a"}],
        }
        assert check_message([actions(box)], None) == []

    def test_initial_options_must_match(self) -> None:
        box = {
            "type": "checkboxes",
            "action_id": "c",
            "options": [option("a")],
            "initial_options": [option("b")],
        }
        assert _pointers([actions(box)]) == ["/blocks/0/elements/0/initial_options"]


def test_overflow_needs_two_to_five_options() -> None:
    def overflow(count: int) -> dict[str, Any]:
        return {
            "type": "overflow",
            "action_id": "o",
            "options": [option(f"{i}") for i in range(count)],
        }

    assert check_message([actions(overflow(5))], None) == []
    assert _pointers([actions(overflow(6))]) == ["/blocks/0/elements/0/options"]
    assert _pointers([actions(overflow(1))]) == ["/blocks/0/elements/0/options"]


def test_urls_only_on_overflow_options() -> None:
    with_url = {**option("a"), "url": "https://example.com"}
    assert _pointers([actions(static_select([with_url]))]) == ["/blocks/0/elements/0/options/0/url"]


def test_pickers_initial_values() -> None:
    good = {"type": "datepicker", "action_id": "d", "initial_date": "2026-01-31"}
    assert check_message([actions(good)], None) == []
    bad_date = {**good, "initial_date": "31/01/2026"}
    bad_time = {"type": "timepicker", "action_id": "t", "initial_time": "9am"}
    assert _pointers([actions(bad_date, bad_time)]) == [
        "/blocks/0/elements/0/initial_date",
        "/blocks/0/elements/1/initial_time",
    ]


def test_non_object_entries_are_reported() -> None:
    assert _pointers(["not a block"]) == ["/blocks/0"]  # type: ignore[list-item]
    assert _pointers([actions("nope")]) == ["/blocks/0/elements/0"]  # type: ignore[arg-type]
