"""Slack markup and Block Kit as readable text: mrkdwn, mentions, dates, wrapping, tables."""

from __future__ import annotations

import pendulum
import pytest

from bot.devtools.render import (
    Names,
    fit_table,
    message_lines,
    modal_lines,
    to_text,
    wrap,
)

from .blockkit import button, mrkdwn, option, plain, section

NAMES = Names(
    users={"U0ADA": "ada", "U0ERIN": "erin"},
    groups={"S0ONCALL": "oncall"},
    channels={"C0SUPPORT": "support"},
)
ZONE = "America/New_York"
# Sunday 22 November 2026, 21:40 in New York.
SUNDAY_EVENING = int(pendulum.datetime(2026, 11, 22, 21, 40, 5, tz=ZONE).timestamp())


def text(markup: str) -> str:
    return to_text(markup, names=NAMES, timezone=ZONE)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("*KS-1003* is _late_ and ~gone~", "KS-1003 is late and gone"),
        ("run `make demo` or ```make test```", "run make demo or make test"),
        ("*KS-1002 · Inbound emails arrive late*", "KS-1002 · Inbound emails arrive late"),
        ("snake_case_name and 2 * 3 * 4 stay", "snake_case_name and 2 * 3 * 4 stay"),
        ("a*b*c and x_y_z are words", "a*b*c and x_y_z are words"),
    ],
)
def test_emphasis_marks_are_dropped_but_not_stars_and_underscores_inside_words(
    markup: str, expected: str
) -> None:
    assert text(markup) == expected


def test_mentions_become_directory_names() -> None:
    rendered = text("<@U0ADA> asked <!subteam^S0ONCALL> in <#C0SUPPORT>; <@U0ERIN|erin b> took it")

    assert rendered == "@ada asked @oncall in #support; @erin took it"


def test_unknown_ids_fall_back_to_their_label_then_their_id() -> None:
    rendered = text(
        "<@U0NEW> <@U0OLD|olga> <#C0X|random> <!subteam^S0X|@team> <!subteam^S0Y> <!here>"
    )

    assert rendered == "@U0NEW @olga #random @team @S0Y @here"


def test_links_show_their_label_or_their_address() -> None:
    rendered = text(
        "<https://x.test/archives/C1/p1|its conversation>, <https://x.test/a_b_c> "
        "and <mailto:support@kustomer.example|support@kustomer.example>"
    )

    assert rendered == ("its conversation, https://x.test/a_b_c and support@kustomer.example")


def test_date_tokens_read_as_local_desk_time_in_their_own_format() -> None:
    token = f"<!date^{SUNDAY_EVENING}^{{date_short_pretty}} at {{time}}|2026-11-23 02:40 UTC>"
    seconds = f"<!date^{SUNDAY_EVENING}^{{time_secs}}|fallback>"

    assert text(f"due {token}") == "due Sun 22 Nov at 21:40"
    assert text(seconds) == "21:40:05"


def test_emoji_codes_become_emoji_or_disappear_while_clock_times_stay() -> None:
    rendered = text(":white_check_mark: filed :party_parrot: at 20:57:00 :red_circle:")

    assert rendered == "✅ filed at 20:57:00 🔴"


def test_escaped_markup_is_shown_as_typed_and_never_read_as_a_mention() -> None:
    assert text("a &lt;@U0ADA&gt; &amp; *b*") == "a <@U0ADA> & b"


def test_wrapped_lines_fit_hang_under_their_first_line_and_lose_no_word() -> None:
    paragraph = " ".join(f"word{i}" for i in range(60))

    lines = wrap(f"{paragraph}\n\n  ◦ {paragraph}", width=50, indent="| ")

    assert all(len(line) <= 50 for line in lines)
    assert lines[0].startswith("| word0") and lines[1].startswith("|   word")
    assert "|" in lines  # the empty paragraph keeps its place, without trailing spaces
    option_lines = lines[lines.index("|") + 1 :]
    assert option_lines[0].startswith("|   ◦ word0") and option_lines[1].startswith("|     word")
    words = " ".join(line.lstrip("| ◦") for line in lines).split()
    assert words == paragraph.split() * 2


def test_a_word_longer_than_the_width_is_cut() -> None:
    lines = wrap("x" * 120, width=50, indent="  ")

    assert all(len(line) <= 50 for line in lines)
    assert "".join(line.strip() for line in lines) == "x" * 120


def test_message_blocks_read_as_lines_with_fields_and_buttons() -> None:
    fields = {
        "type": "section",
        "fields": [mrkdwn("*Impact*\nCritical"), mrkdwn("*Assignee*\n<@U0ERIN>")],
    }
    blocks = [
        {"type": "header", "text": plain("KS-1003 · Agents cannot log in")},
        section(":rotating_light: <!subteam^S0ONCALL> *Critical* request"),
        fields,
        {"type": "context", "elements": [mrkdwn("_Agents cannot log in_"), mrkdwn("24/7")]},
        {"type": "divider"},
        {"type": "actions", "elements": [button("take", "Take it"), button("done", "Resolve")]},
    ]

    lines = message_lines({"text": "fallback", "blocks": blocks}, names=NAMES, timezone=ZONE)

    assert lines == [
        "KS-1003 · Agents cannot log in",
        "🚨 @oncall Critical request",
        "Impact: Critical · Assignee: @erin",
        "Agents cannot log in · 24/7",
        "[Take it] [Resolve]",
    ]


def test_a_message_without_blocks_reads_as_its_text() -> None:
    lines = message_lines(
        {"text": "Filed as *KS-1005*.\nSee <#C0SUPPORT>."}, names=NAMES, timezone=ZONE
    )

    assert lines == ["Filed as KS-1005.", "See #support."]


def test_a_modal_reads_as_its_inputs_choices_hints_and_buttons() -> None:
    impact = {
        "type": "radio_buttons",
        "options": [
            option("low", "Low"),
            {**option("critical", "Critical"), "description": plain("24/7")},
        ],
        "initial_option": option("low", "Low"),
    }
    area = {
        "type": "static_select",
        "placeholder": plain("Choose a part"),
        "options": [option("email", "Email"), option("chat", "Chat")],
    }
    subject = {"type": "plain_text_input", "initial_value": "Checkout is down"}
    view = {
        "type": "modal",
        "title": plain("Kustomer support"),
        "submit": plain("File request"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "input", "label": plain("Subject"), "element": subject},
            {"type": "input", "label": plain("Business impact"), "element": impact},
            {
                "type": "input",
                "label": plain("Area"),
                "element": area,
                "optional": True,
                "hint": plain("Where it hurts"),
            },
        ],
    }

    assert modal_lines(view, names=NAMES, timezone=ZONE) == [
        "“Kustomer support”",
        "Subject: “Checkout is down”",
        "Business impact",
        "  • Low",
        "  ◦ Critical · 24/7",
        "Area (optional): Choose a part ▾ Email, Chat",
        "  Where it hurts",
        "[File request] [Cancel]",
    ]


TABLE = [
    "Priority  Filed  On time  Attainment  Median business  Median wall  Open breaches",
    "Low           2        1      100.0%            6 min        6 min              0",
    "High          1        0        0.0%                -            -              1",
]


def test_a_table_wider_than_the_width_is_cut_into_tables_that_repeat_the_first_column() -> None:
    fitted = fit_table(TABLE, width=50)

    assert all(len(line) <= 50 for line in fitted)
    tables = "\n".join(fitted).split("\n\n")
    assert len(tables) > 1
    assert all(table.split("\n")[1].startswith("Low ") for table in tables)
    cells = [cell for line in fitted for cell in line.split("  ") if cell.strip()]
    original = [cell for line in TABLE for cell in line.split("  ") if cell.strip()]
    first_column = {"Priority", "Low", "High"}
    assert sorted(c.strip() for c in cells if c.strip() not in first_column) == sorted(
        c.strip() for c in original if c.strip() not in first_column
    )
    header = fitted[0].split()
    assert header[:3] == ["Priority", "Filed", "On"]  # cut between columns, never inside one


def test_a_table_that_fits_is_left_alone() -> None:
    assert fit_table(TABLE, width=200) == TABLE
