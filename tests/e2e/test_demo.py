"""The offline demo: its whole story, told the same way twice, readable, scene by scene."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import select

from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.devtools.demo import DemoOptions, run_demo

SPEED = 5000.0
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STAMP = re.compile(rf"^({'|'.join(DAYS)}) (\d\d):(\d\d)  ")
RAW_MARKUP = re.compile(r"\*\S|\S\*|(?<!\w)_\S.*\S_(?!\w)|:[a-z_]+:|<[@#!]|<https?:|&(lt|gt|amp);")
DATABASE_LINES = re.compile(r"^Database:? .*$", re.MULTILINE)
BODY = "\n           │ "  # a message's next line, under its heading

# Each scene's heading (its start) and what must be printed under it, and under no other.
SCENES = {
    "ada, an admin, files three requests": [
        "ada picks Low — 'Macros missing after the import'",
        "ada picks High — 'Inbound emails arrive late'",
        "ada picks Critical — 'Agents cannot log in'",
        # The Critical's root message, paging on-call.
        f"Kustomer Support → #support-oncall{BODY}KS-1003 · Agents cannot log in{BODY}"
        "🚨 @oncall Critical request: the on-call team is needed now.",
        "✅ Your request KS-1003 is filed: Agents cannot log in.",
    ],
    "carl is not an admin": [
        "Kustomer Support → reply to the command, only visible to carl",
        "[File by email route]",
        "KS-1004 · CSV export fails",
        "✅ Your request KS-1004 is filed: CSV export fails.",
    ],
    "An email forwarded": [
        "KS-1005 · Fwd: Invoices not syncing to the CRM",
        "Filed as KS-1005 (Medium, email).",
    ],
    "erin, an engineer, takes the Low request": [
        "Kustomer Support updates KS-1001: Status: In progress · Assignee: @erin",
        "@erin took this request.",
        "Kustomer Support updates KS-1001: First response: Responded",
    ],
    "A second issue": [
        "thread of KS-1001, only visible to ada",
        "KS-1006 · Reporting dashboard shows no data",
        "Filed separately as KS-1006, with its own conversation.",
    ],
    "olga, on call": [
        "KS-1003 (Critical) needs a first response",
        "@olga took this request.",
        "KS-1003 is Critical: an update is due",
        "@olga resolved this request.",
    ],
    "The vendor reports an outage": [
        "(the vendor's status page reports an incident; the desk polls it)",
        f"Kustomer Support → #support{BODY}Vendor incident: [DRAFTS] Internal API Errors",
        "• [DRAFTS] Internal API Errors (Prod1) · Monitoring a fix · since Fri 20 Nov at 21:23",
        "Is this about one of these? (optional)",
        # One page of on-call: KS-1007 mentions the group, KS-1008 joins the summary.
        f"│ KS-1007 · Drafts fail to save{BODY}🚨 @oncall Critical request",
        f"│ KS-1008 · Replies fail with an error{BODY}🚨 Critical request: the on-call team",
        "On-call was paged once for this incident: this request is in its summary",
        f"│ Outage summary: [DRAFTS] Internal API Errors (Prod1){BODY}🚨 1 Critical request",
        "Internal API Errors (Prod1): 🚨 2 Critical",
        "Requesters: @ada,\n             @bea",
        "Kustomer Support → #support, thread of “Vendor incident: [DRAFTS] Internal API E…”",
        "Duration: 16m",
        f"thread of KS-1007{BODY}✅ [DRAFTS] Internal API Errors (Prod1) is resolved (16m).",
        f"thread of KS-1008{BODY}✅ [DRAFTS] Internal API Errors (Prod1) is resolved (16m).",
        "resolved this incident Fri 20 Nov at 21:39 after 16m. 2 Critical requests",
        "@bea resolved this request.",
    ],
    "The desk is closed": ["the clock skips ahead to Sun 17:55"],
    "The desk is open": [
        "KS-1002 (High) needs a first response: 30 min left",
        "KS-1002 (High) needs a first response: 12 min left",
        "KS-1002 missed its first-response target",
        "Kustomer Support → #support-escalations",
        "First-response target breached: KS-1002 · Inbound emails arrive late",
    ],
    "SLA report": ["First response  Filed  On time", "Attainment = on time / (on time + late)"],
}


@dataclass(frozen=True)
class Run:
    text: str
    code: int
    database: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """The demo played twice: once on a temporary database, once keeping it."""
    kept = tmp_path_factory.mktemp("kept") / "demo.db"
    played = []
    for keep in (None, kept):
        out = io.StringIO()
        code = run_demo(DemoOptions(speed=SPEED, keep=keep, out=out))
        database = re.search(r"^Database: (\S+) \(", out.getvalue(), re.MULTILINE)
        assert database is not None, out.getvalue()
        played.append(Run(out.getvalue(), code, Path(database.group(1))))
    print(played[0].text)  # shown by pytest when an assertion fails
    return played[0], played[1]


@pytest.fixture(scope="module")
def story(runs: tuple[Run, Run]) -> str:
    return runs[0].text


def sections(text: str) -> dict[str, str]:
    """The printed story cut at its `== ` headings, keyed by heading."""
    parts = re.split(r"^== ", text, flags=re.MULTILINE)
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


@pytest.mark.slow
def test_two_runs_tell_the_same_story(runs: tuple[Run, Run]) -> None:
    first, second = runs

    assert (first.code, second.code) == (0, 0)
    assert DATABASE_LINES.sub("Database", first.text) == DATABASE_LINES.sub("Database", second.text)


@pytest.mark.slow
def test_every_event_is_printed_under_the_scene_that_caused_it(story: str) -> None:
    found = sections(story)
    headings = list(found)

    for start, events in SCENES.items():
        matching = [heading for heading in headings if heading.startswith(start)]
        assert len(matching) == 1, (start, headings)
        for event in events:
            holders = [heading for heading in headings if event in found[heading]]
            assert holders == matching, (event, holders)
    assert [h for h in headings if not any(h.startswith(s) for s in SCENES)] == []


@pytest.mark.slow
def test_the_story_runs_forward_on_the_desk_clock(story: str) -> None:
    stamps = [
        (DAYS.index(match.group(1)), int(match.group(2)), int(match.group(3)))
        for line in story.splitlines()
        if (match := STAMP.match(line))
    ]

    assert len(stamps) > 40
    assert stamps == sorted(stamps, key=lambda s: ((s[0] - DAYS.index("Fri")) % 7, s[1], s[2]))


@pytest.mark.slow
def test_the_story_reads_as_plain_text_in_short_lines(story: str) -> None:
    lines = DATABASE_LINES.sub("Database", story).splitlines()  # a temporary path may hold _

    assert [line for line in lines if len(line) >= 110] == []
    assert [line for line in lines if RAW_MARKUP.search(line)] == []


@pytest.mark.slow
def test_the_filing_modal_is_printed_in_full_once_then_only_the_choices(story: str) -> None:
    assert story.count("Kustomer Support → modal for ada\n") == 1
    assert story.count("◦ Critical — first response within 15 minutes, 24/7") == 1
    assert story.count("[File request] [Cancel]") == 1
    # The email route's modal differs from it by the impact: only that is printed.
    assert (
        "modal for carl, “Kustomer support” as above\n           │ without Business impact" in story
    )
    assert story.count("ada types /kustomer-support") == 4
    # The vendor's incidents show in the modal only while there are any: once, as news.
    assert story.count("⚠ Known vendor incidents right now") == 1


@pytest.mark.slow
def test_an_outage_pages_on_call_once_and_reaches_both_conversations(story: str) -> None:
    outage = sections(story)[
        "The vendor reports an outage: two Critical requests, one page of on-call"
    ]

    assert outage.count("@oncall") == 1  # KS-1007's root; KS-1008 and the summary page nobody
    assert outage.count("│ Outage summary:") == 1  # posted once, then edited
    assert outage.count("Is your problem gone?") == 2  # one note in each conversation
    assert "KS-1007 is Critical" not in story and "KS-1008 is Critical" not in story


@pytest.mark.slow
def test_the_database_is_removed_unless_kept(runs: tuple[Run, Run]) -> None:
    temporary, kept = runs

    assert "removed at the end; --keep PATH keeps it" in temporary.text
    assert f"Database {temporary.database} removed." in temporary.text
    assert not temporary.database.exists() and not temporary.database.parent.exists()
    assert f"Database kept at {kept.database}" in kept.text
    database = Database.from_url(f"sqlite:///{kept.database}")
    try:
        with database.session() as session:
            keys = sorted(request.key for request in session.exec(select(SupportRequest)))
    finally:
        database.dispose()
    assert keys == [f"KS-{n}" for n in range(1001, 1009)]
