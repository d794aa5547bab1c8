"""Block Kit limit checks for block elements and option objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.devtools.limits_core import Checker, check_confirm, check_text, enumerate_dicts

_SELECT_SOURCES = ("static", "external", "users", "conversations", "channels")
SELECTS = frozenset(f"{source}_select" for source in _SELECT_SOURCES)
MULTI_SELECTS = frozenset(f"multi_{kind}" for kind in SELECTS)
_TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
_PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})

# Which elements each container accepts, from the Block Kit reference.
ACTIONS_ELEMENTS = (
    SELECTS
    | MULTI_SELECTS
    | _PICKERS
    | {"button", "checkboxes", "overflow", "radio_buttons", "workflow_button"}
)
ACCESSORY_ELEMENTS = (ACTIONS_ELEMENTS - {"datetimepicker"}) | {"image"}
INPUT_ELEMENTS = (
    SELECTS
    | MULTI_SELECTS
    | _PICKERS
    | _TEXT_INPUTS
    | {"checkboxes", "radio_buttons", "file_input"}
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


def check_option(
    chk: Checker, opt: dict[str, Any], path: str, *, plain_only: bool, allow_url: bool = False
) -> None:
    """Check one option object: text ≤ 75, value ≤ 150, description ≤ 75."""
    check_text(chk, opt.get("text"), f"{path}/text", limit=75, plain_only=plain_only)
    if chk.required(opt, "value", path):
        chk.max_len(opt["value"], f"{path}/value", 150, min_len=1)
    check_text(
        chk,
        opt.get("description"),
        f"{path}/description",
        limit=75,
        plain_only=plain_only,
        required=False,
    )
    if "url" in opt and not allow_url:
        chk.add(f"{path}/url", "invalid additional property: url")
    chk.max_len(opt.get("url"), f"{path}/url", 3000)


def _option_key(opt: object) -> tuple[object, object]:
    """Identify an option the way Slack matches initial options: by value and text."""
    if not isinstance(opt, dict):
        return (None, None)
    text = opt.get("text")
    return (opt.get("value"), text.get("text") if isinstance(text, dict) else None)


def _check_initial(chk: Checker, el: dict[str, Any], path: str, options: list[Any]) -> None:
    """Initial options must be copies of offered options, or Slack rejects the surface."""
    offered = {_option_key(opt) for opt in options}
    initial = [el["initial_option"]] if "initial_option" in el else []
    key = "initial_option"
    if "initial_options" in el:
        key = "initial_options"
        initial = el["initial_options"] if isinstance(el["initial_options"], list) else [None]
    for chosen in initial:
        if _option_key(chosen) not in offered:
            chk.add(f"{path}/{key}", "must match one of the options")


def _check_option_list(
    chk: Checker, el: dict[str, Any], path: str, *, lo: int, hi: int, plain_only: bool
) -> list[Any]:
    """Check `el["options"]` and return the options for initial-option matching."""
    options = chk.items(el, "options", path, lo=lo, hi=hi)
    for opt_path, opt in enumerate_dicts(options, f"{path}/options", chk):
        check_option(chk, opt, opt_path, plain_only=plain_only)
    return options


def _check_static_select(chk: Checker, el: dict[str, Any], path: str) -> None:
    """A static select needs exactly one of options (≤ 100) or option_groups (≤ 100)."""
    if ("options" in el) == ("option_groups" in el):
        chk.add(path, "must provide exactly one of options, option_groups")
        return
    if "options" in el:
        options = _check_option_list(chk, el, path, lo=1, hi=100, plain_only=True)
    else:
        options = []
        groups = chk.items(el, "option_groups", path, lo=1, hi=100)
        for group_path, group in enumerate_dicts(groups, f"{path}/option_groups", chk):
            check_text(chk, group.get("label"), f"{group_path}/label", limit=75, plain_only=True)
            options += _check_option_list(chk, group, group_path, lo=1, hi=100, plain_only=True)
    _check_initial(chk, el, path, options)


def _check_placeholder(chk: Checker, el: dict[str, Any], path: str) -> None:
    """An optional plain_text placeholder of at most 150 characters."""
    check_text(
        chk,
        el.get("placeholder"),
        f"{path}/placeholder",
        limit=150,
        plain_only=True,
        required=False,
    )


def _check_select(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Check any single or multi select menu."""
    _check_placeholder(chk, el, path)
    check_confirm(chk, el.get("confirm"), f"{path}/confirm")
    if el["type"].endswith("static_select"):
        _check_static_select(chk, el, path)
    max_items = el.get("max_selected_items")
    if (
        el["type"].startswith("multi_")
        and max_items is not None
        and (not isinstance(max_items, int) or max_items < 1)
    ):
        chk.add(f"{path}/max_selected_items", "must be an integer of at least 1")


def _check_button(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Buttons: text ≤ 75, value ≤ 2000, url ≤ 3000, style primary/danger."""
    check_text(chk, el.get("text"), f"{path}/text", limit=75, plain_only=True)
    chk.max_len(el.get("value"), f"{path}/value", 2000)
    chk.max_len(el.get("url"), f"{path}/url", 3000)
    chk.max_len(el.get("accessibility_label"), f"{path}/accessibility_label", 75)
    if el.get("style") not in (None, "primary", "danger"):
        chk.add(f"{path}/style", "must be one of primary, danger")
    check_confirm(chk, el.get("confirm"), f"{path}/confirm")


def _check_choices(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Checkboxes and radio buttons: 1-10 options, whose text may be mrkdwn."""
    options = _check_option_list(chk, el, path, lo=1, hi=10, plain_only=False)
    _check_initial(chk, el, path, options)
    check_confirm(chk, el.get("confirm"), f"{path}/confirm")


def _check_overflow(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Overflow menus: 2-5 plain_text options that may carry a url."""
    options = chk.items(el, "options", path, lo=2, hi=5)
    for opt_path, opt in enumerate_dicts(options, f"{path}/options", chk):
        check_option(chk, opt, opt_path, plain_only=True, allow_url=True)
    check_confirm(chk, el.get("confirm"), f"{path}/confirm")


def _check_text_input(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Text-like inputs: placeholder ≤ 150; plain_text_input lengths within 0-3000."""
    _check_placeholder(chk, el, path)
    if el["type"] == "number_input" and not isinstance(el.get("is_decimal_allowed"), bool):
        chk.add(f"{path}/is_decimal_allowed", "missing required field")
    if el["type"] != "plain_text_input":
        return
    chk.max_len(el.get("initial_value"), f"{path}/initial_value", 3000)
    lo, hi = el.get("min_length", 0), el.get("max_length", 3000)
    if not isinstance(lo, int) or not 0 <= lo <= 3000:
        chk.add(f"{path}/min_length", "must be an integer from 0 to 3000")
    elif not isinstance(hi, int) or not 1 <= hi <= 3000:
        chk.add(f"{path}/max_length", "must be an integer from 1 to 3000")
    elif lo > hi:
        chk.add(f"{path}/min_length", "must not exceed max_length")


def _check_picker(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Date and time pickers: placeholder ≤ 150 and well-formed initial values."""
    _check_placeholder(chk, el, path)
    date, time = el.get("initial_date"), el.get("initial_time")
    if date is not None and not (isinstance(date, str) and _DATE.match(date)):
        chk.add(f"{path}/initial_date", "must be formatted as YYYY-MM-DD")
    if time is not None and not (isinstance(time, str) and _TIME.match(time)):
        chk.add(f"{path}/initial_time", "must be formatted as HH:mm")
    check_confirm(chk, el.get("confirm"), f"{path}/confirm")


def check_image_element(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Image elements need an image_url (≤ 3000) or slack_file, and alt_text (≤ 2000)."""
    if el.get("image_url") is None and el.get("slack_file") is None:
        chk.add(f"{path}/image_url", "missing required field")
    chk.max_len(el.get("image_url"), f"{path}/image_url", 3000)
    if chk.required(el, "alt_text", path):
        chk.max_len(el["alt_text"], f"{path}/alt_text", 2000)


def _check_nothing_more(chk: Checker, el: dict[str, Any], path: str) -> None:
    """Elements whose only limits are the shared ones (action_id)."""


_CHECKS: dict[str, Callable[[Checker, dict[str, Any], str], None]] = {
    **dict.fromkeys(SELECTS | MULTI_SELECTS, _check_select),
    **dict.fromkeys(_TEXT_INPUTS, _check_text_input),
    **dict.fromkeys(_PICKERS, _check_picker),
    "button": _check_button,
    "checkboxes": _check_choices,
    "radio_buttons": _check_choices,
    "overflow": _check_overflow,
    "image": check_image_element,
    "file_input": _check_nothing_more,
    "workflow_button": _check_nothing_more,
}


def check_element(chk: Checker, el: object, path: str, allowed: frozenset[str]) -> None:
    """Check one block element that sits where only `allowed` element types may go."""
    if not isinstance(el, dict):
        chk.add(path, "must be an object")
        return
    kind = el.get("type")
    if not isinstance(kind, str) or kind not in _CHECKS:
        chk.add(f"{path}/type", f"unknown element type: {kind!r}")
        return
    if kind not in allowed:
        chk.add(f"{path}/type", f"element type {kind} is not allowed here")
        return
    if "action_id" in el:
        chk.id_field(el, "action_id", path)
    _CHECKS[kind](chk, el, path)
