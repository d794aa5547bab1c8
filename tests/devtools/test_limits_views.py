"""check_view: modal and Home tab limits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.devtools.limits import check_view

from .blockkit import (
    actions,
    button,
    modal,
    option,
    plain,
    section,
    static_select,
    text_input,
)


def _one_error(view: dict[str, Any], pointer: str, fragment: str = "") -> None:
    errors = check_view(view)
    assert len(errors) == 1, errors
    assert errors[0].endswith(f"[json-pointer:{pointer}]"), errors
    assert fragment in errors[0]


def test_filing_modal_like_view_is_valid() -> None:
    impact = static_select([option("low", "Low"), option("critical", "Critical")])
    impact["initial_option"] = option("low", "Low")
    view = modal(
        section("Tell us what is wrong"),
        text_input("subject", "value", max_length=150),
        {"type": "input", "block_id": "impact", "label": plain("Impact"), "element": impact},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Open 24/7 for Critical"}]},
        private_metadata="x" * 3000,
        callback_id="c" * 255,
    )
    assert check_view(view) == []


def test_boundary_lengths_are_allowed() -> None:
    view = modal(
        text_input(),
        title=plain("t" * 24),
        submit=plain("s" * 24),
        close=plain("c" * 24),
    )
    assert check_view(view) == []


@pytest.mark.parametrize("key", ["title", "submit", "close"])
def test_modal_chrome_over_24_characters(key: str) -> None:
    _one_error(modal(**{key: plain("x" * 25)}), f"/view/{key}/text", "at most 24")


def test_title_is_required_and_plain_text() -> None:
    view = modal()
    del view["title"]
    _one_error(view, "/view/title", "missing")
    _one_error(modal(title={"type": "mrkdwn", "text": "Hi"}), "/view/title/type", "plain_text")


def test_submit_required_with_input_blocks() -> None:
    view = modal(text_input())
    del view["submit"]
    _one_error(view, "/view/submit", "input")
    view_without_inputs = modal(section())
    del view_without_inputs["submit"]
    assert check_view(view_without_inputs) == []


def test_block_count_bounds() -> None:
    assert check_view(modal(*[section(f"{i}") for i in range(100)])) == []
    _one_error(modal(*[section(f"{i}") for i in range(101)]), "/view/blocks", "at most 100")
    empty = modal()
    empty["blocks"] = []
    _one_error(empty, "/view/blocks", "at least 1")


def test_metadata_and_ids() -> None:
    _one_error(modal(private_metadata="x" * 3001), "/view/private_metadata", "3000")
    _one_error(modal(callback_id="c" * 256), "/view/callback_id", "255")
    _one_error(modal(external_id="e" * 256), "/view/external_id", "255")


def test_whole_view_size_limit() -> None:
    big = [section("x" * 2900) for _ in range(90)]
    errors = check_view(modal(*big))
    assert any("bytes" in error and "[json-pointer:/view]" in error for error in errors)


def test_home_tab() -> None:
    home: dict[str, Any] = {"type": "home", "blocks": [section(f"{i}") for i in range(100)]}
    assert check_view(home) == []
    assert check_view({"type": "home", "blocks": []}) == []
    home["blocks"].append(section())
    _one_error(home, "/view/blocks", "at most 100")


def test_unknown_view_type_and_non_object() -> None:
    _one_error({"type": "popup", "blocks": []}, "/view/type")
    assert check_view("nope") == ["must be an object [json-pointer:/view]"]  # type: ignore[arg-type]


def test_duplicate_block_ids_in_view() -> None:
    view = modal(text_input("subject"), text_input("subject"))
    _one_error(view, "/view/blocks/1/block_id", "duplicate")


def test_nested_errors_are_all_reported_with_pointers() -> None:
    view = modal(
        actions(button(text="b" * 76), button(action_id="a" * 256)),
        text_input("d", "v", placeholder=plain("p" * 151)),
    )
    errors = check_view(view)
    pointers = sorted(error.rsplit("[json-pointer:", 1)[1] for error in errors)
    assert pointers == [
        "/view/blocks/0/elements/0/text/text]",
        "/view/blocks/0/elements/1/action_id]",
        "/view/blocks/1/element/placeholder/text]",
    ]


def test_input_block_needs_label_and_input_element() -> None:
    block = text_input()
    del block["label"]
    _one_error(modal(block), "/view/blocks/0/label", "missing")
    wrong = {"type": "input", "label": plain("x"), "element": button()}
    _one_error(modal(wrong), "/view/blocks/0/element/type", "not allowed")
    _one_error(modal({"type": "input", "label": plain("x")}), "/view/blocks/0/element")


def test_plain_text_input_lengths() -> None:
    _one_error(modal(text_input(max_length=3001)), "/view/blocks/0/element/max_length")
    _one_error(modal(text_input(min_length=10, max_length=5)), "/view/blocks/0/element/min_length")
    _one_error(modal(text_input(initial_value="x" * 3001)), "/view/blocks/0/element/initial_value")


def test_message_only_blocks_rejected_in_views() -> None:
    _one_error(modal({"type": "markdown", "text": "**hi**"}), "/view/blocks/0/type", "messages")
