"""The offline demo: its whole story, told the same way twice, readable, scene by scene."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pendulum
import pytest
from sqlmodel import select

from bot.db.account_tables import CustomerAccountRow
from bot.db.engine import Database
from bot.db.models import SupportRequest
from bot.devtools.demo import DemoOptions, run_demo
from bot.devtools.harness import CAST

SPEED = 5000.0
NEW_YORK = "America/New_York"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STAMP = re.compile(rf"^({'|'.join(DAYS)}) (\d\d):(\d\d)  ")
RAW_MARKUP = re.compile(r"\*\S|\S\*|(?<!\w)_\S.*\S_(?!\w)|:[a-z_]+:|<[@#!]|<https?:|&(lt|gt|amp);")
DATABASE_LINES = re.compile(r"^Database:? .*$", re.MULTILINE)
BODY = "\n           │ "  # a message's next line, under its heading
SHARED = "(shared, the customer's side)"
# What would give the desk away in a customer's shared channel (as the timeline prints it).
INTERNAL = re.compile(
    r"@\w|#support|breached|missed its|escalat|leadership|Assignee|needs a first response|"
    r"\[Take it\]|internal|only visible",
    re.IGNORECASE,
)
ACME_SCENE = (
    "A customer organisation in a shared channel: Acme writes to the desk through Slack Connect"
)

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
        f"#support, thread of KS-1001{BODY}@erin took this request.",
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
    "A customer organisation in a shared channel": [
        "$ python -m bot accounts add --name Acme --tier enterprise --channel C0ACME --team T0ACME",
        "Added Acme (enterprise): channels C0ACME; teams T0ACME; admins U0ACMEADA;",
        f"→ #ext-acme-support {SHARED}{BODY}Need help? File a support request.",
        "Kustomer Support pins “Need help? File a support request. Descr…” in #ext-acme-support",
        "acme-admin writes a new message in #ext-acme-support:",
        "│ • High: first response within 1 hour",
        "acme-admin clicks “High” under her message",
        f"Kustomer Support → #support{BODY}KS-1009 · The inbox does not load since 9am",
        "📥 Thanks, we have filed this as KS-1009 (High impact).",
        "🙋 erin from our support team is working on KS-1009.",
        "Kustomer Support updates KS-1009: First response: Responded Sun 22 Nov at 18:03",
        f"Kustomer Support → #support{BODY}KS-1010 · Exports to CSV stop at 10%",
        "so this request goes through the email route",
        "✅ Medium impact.",
    ],
    "A shared channel no account maps": [
        "⚠ #ext-initech-support is shared with organisation T0INITECH and not mapped to an account",
        "initech-member writes again: “Anyone?”",
    ],
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


@pytest.fixture(scope="module")
def requests(runs: tuple[Run, Run]) -> dict[str, dict[str, object]]:
    """Every request the kept run filed, by key, and the account each belongs to (by name)."""
    database = Database.from_url(f"sqlite:///{runs[1].database}")
    try:
        with database.session() as session:
            names = {row.id: row.name for row in session.exec(select(CustomerAccountRow))}
            rows = session.exec(select(SupportRequest)).all()
            found = {
                row.key: {**row.model_dump(), "account": names.get(row.account_id)} for row in rows
            }
    finally:
        database.dispose()
    return found


@dataclass(frozen=True)
class Entry:
    """One stamped line of the story (wrapped parts joined) and the message printed under it."""

    heading: str
    body: list[str]


def entries(text: str) -> list[Entry]:
    """The story's stamped lines with their continuations and bodies; notes end an entry."""
    found: list[Entry] = []
    for line in text.splitlines():
        if STAMP.match(line):
            found.append(Entry(line, []))
        elif found and line.startswith(" " * 13) and not found[-1].body:
            found[-1] = Entry(f"{found[-1].heading} {line.strip()}", [])
        elif found and line.startswith(BODY.lstrip("\n")):
            found[-1].body.append(line.removeprefix(BODY.lstrip("\n")))
        elif line.strip():
            found.append(Entry("", []))  # a note or a heading: what follows is not a message
    return [entry for entry in found if entry.heading]


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
    assert keys == [f"KS-{n}" for n in range(1001, 1011)]


@pytest.mark.slow
def test_a_customer_message_in_the_shared_channel_gets_the_prompt_in_its_thread(
    story: str,
) -> None:
    acme = sections(story)[ACME_SCENE]
    shown = entries(acme)

    [prompt] = [e for e in shown if "• High: first response within 1 hour" in e.body]
    assert prompt.heading.endswith(
        f"→ #ext-acme-support {SHARED}, thread of “The inbox does not load since 9am”"
    )
    assert "[Low] [Medium] [High] [Critical] [File with details]" in prompt.body
    [pin] = [e for e in shown if " pins " in e.heading]
    assert pin.heading.endswith(f"in #ext-acme-support {SHARED}")
    # The colleague is no administrator: no impact to pick, Medium by the email route and why.
    answer = next(
        e for e in shown if "→ #ext-acme-support" in e.heading and "“Exports" in e.heading
    )
    assert "📥 Filing this as a support request at Medium impact." in " ".join(answer.body)
    assert not any(line.startswith("[") for line in answer.body)


@pytest.mark.slow
def test_each_customer_message_files_one_request_with_the_account(
    story: str, requests: dict[str, dict[str, object]]
) -> None:
    acme = {key: r for key, r in requests.items() if r["account"] == "Acme"}

    assert sorted(acme) == ["KS-1009", "KS-1010"]
    admins, members = acme["KS-1009"], acme["KS-1010"]
    assert (admins["priority"], admins["intake_channel"]) == ("high", "chat")
    assert (members["priority"], members["intake_channel"]) == ("medium", "email")
    assert (admins["requester_id"], members["requester_id"]) == ("U0ACMEADA", "U0ACMEBOB")
    assert {r["customer_channel_id"] for r in acme.values()} == {"C0ACME"}
    assert admins["customer_thread_ts"] != members["customer_thread_ts"]
    assert admins["slack_channel_id"] == CAST.support_channel  # the triage card is internal
    assert [r for r in requests.values() if r["customer_channel_id"] == "C0INITECH"] == []
    cards = [e for e in entries(story) if e.body and e.body[0].startswith(("KS-1009", "KS-1010"))]
    assert [e.heading[11:] for e in cards] == ["Kustomer Support → #support"] * 2
    assert all("Account: Acme (Enterprise)" in " ".join(e.body) for e in cards)
    assert all("in the customer's thread in #ext-acme-support" in " ".join(e.body) for e in cards)


@pytest.mark.slow
def test_nothing_internal_reaches_a_shared_channel(story: str) -> None:
    shared = [e for e in entries(story) if "#ext-" in e.heading and "Kustomer Support" in e.heading]

    assert len(shared) >= 8  # pin, prompt, notes, edits: every one of them checked
    assert all(SHARED in e.heading for e in shared)
    for entry in shared:
        assert INTERNAL.search(" ".join(entry.body)) is None, entry
    # The unmapped channel hears nothing; the desk is told once, in its own channel.
    assert not [e for e in shared if "#ext-initech-support" in e.heading]
    assert story.count("is shared with organisation T0INITECH") == 1


@pytest.mark.slow
def test_the_engineers_reply_in_the_customer_thread_is_the_first_response(
    story: str, requests: dict[str, dict[str, object]]
) -> None:
    shown = [e.heading[11:] for e in entries(sections(story)[ACME_SCENE])]
    replied = next(i for i, h in enumerate(shown) if h.startswith("erin replies in Acme's thread"))

    assert shown[replied + 1] == (
        "Kustomer Support updates KS-1009: First response: Responded Sun 22 Nov at 18:03"
    )
    request = requests["KS-1009"]
    assert request["first_responder_id"] == CAST.engineer
    responded = request["first_responded_at"]
    assert isinstance(responded, datetime)
    assert pendulum.instance(responded).in_timezone(NEW_YORK).format("ddd HH:mm") == "Sun 18:03"
    # Unanswered, it would have been pinged at 50% of its hour (18:31), before the story ends.
    assert "KS-1009 (High) needs a first response" not in story
