"""Intake: several listed issues, replies that open another one, and emailed requests."""

from __future__ import annotations

import pytest

from bot.domain.email_intake import (
    UNREADABLE_SUBJECT,
    Email,
    EmailRequest,
    email_request,
    sender_address,
)
from bot.domain.intake import lists_several_issues, opens_another_issue

SEVERAL = {
    "numbered dots": "Hi,\n1. The inbox does not load at all\n2. Exports to CSV time out",
    "numbered parens": "1) Search returns no results\n2) Voice calls drop after a minute",
    "parenthesised": "(1) Macros are missing for agents\n(2) Routing ignores business hours",
    "hash numbers": "#1 The knowledge base is blank\n#2 The API returns 500 on /customers",
    "dashes": "We have problems:\n- inbox is very slow today\n- reports show no data",
    "stars": "* Chat widget is not showing on our site\n* Emails arrive twice",
    "bullets": "• Agents cannot log in with SSO\n• AI summaries are empty",
    "indented": "  - the inbox is very slow today\n  - our webhooks stopped firing",
    "three items": "1. Inbox slow to load\n2. Export broken for admins\n3. Voice drops calls",
    "after steps section ends": (
        "Steps to reproduce:\n1. Log in as an admin\n2. Open the inbox\n\n"
        "Also these are broken:\n- reports page shows no data\n- CSV export times out"
    ),
    "after a prose paragraph": (
        "Two things are wrong since the update.\n\n"
        "- The sidebar counters are wrong\n- Snoozed conversations never wake up"
    ),
    "heading mentions a version": (
        "Hi team, we noticed these problems with the new version:\n"
        "- the inbox fails to load\n- exports time out"
    ),
    "long item without many words": "- Authentication-failure\n- Synchronisation-error",
}

ONE = {
    "empty": "",
    "plain paragraph": "The inbox has not loaded since 9:00. Every agent sees a spinner.",
    "single bullet": "- The inbox has not loaded since 9:00 for every agent",
    "single numbered": "1. The inbox has not loaded since 9:00 for every agent",
    "short bullets": "Browsers:\n- Chrome\n- Firefox\n- Safari",
    "short items without heading": "- yes\n- no",
    "steps to reproduce": (
        "The export fails.\n\nSteps to reproduce:\n1. Log in as an admin user\n"
        "2. Go to Reports and pick last month\n3. Press Export and wait a minute"
    ),
    "steps heading without colon": (
        "Steps to reproduce\n1. The admin opens the reports page\n"
        "2. The admin picks the last month range"
    ),
    "markdown heading": (
        "**Steps to reproduce**\n1. The admin opens the reports page\n"
        "2. The admin picks the last month range"
    ),
    "numbered steps without heading": (
        "1. Open the inbox in Chrome\n2. Click on any conversation\n3. Type a reply and send"
    ),
    "expected and actual": (
        "Expected:\n- the page loads within two seconds\n- counters update live\n"
        "Actual:\n- a spinner forever\n- counters stay at zero"
    ),
    "what I tried": (
        "The widget is gone.\nWhat I tried:\n- clearing the browser cache\n"
        "- logging out and back in again"
    ),
    "environment": "Environment:\n- macOS 14.4 on an M2 laptop\n- Chrome 123 with no extensions",
    "continuation lines stay in steps": (
        "Steps to reproduce:\n1. The admin opens the reports page\n"
        "   (it has to be the default dashboard)\n2. The admin picks the last month range"
    ),
    "inline numbering": "Steps: 1. open the inbox 2. click a conversation 3. it crashes",
    "decimal numbers": "1.5 seconds of latency per request\n2.5 seconds when exporting data",
    "signature dash": "The inbox is down for everyone.\n\n- Rita\n- Sent from my phone",
    "how to reproduce": (
        "How to reproduce:\n- an admin opens the reports page\n- the admin picks last month"
    ),
    "what we've tried": (
        "What we\u2019ve tried:\n- clearing the browser cache\n- logging out and back in again"
    ),
    "symptoms of one issue": (
        "Symptoms:\n- the sidebar never finishes loading\n- search returns nothing at all"
    ),
}


@pytest.mark.parametrize("text", SEVERAL.values(), ids=SEVERAL.keys())
def test_lists_several_issues(text: str) -> None:
    assert lists_several_issues(text)


@pytest.mark.parametrize("text", ONE.values(), ids=ONE.keys())
def test_one_issue_is_not_several(text: str) -> None:
    assert not lists_several_issues(text)


def test_windows_line_endings_count_too() -> None:
    assert lists_several_issues("- inbox is very slow today\r\n- reports show no data")


OPENS = [
    "I have another issue: the reports are empty.",
    "Another problem: voice calls drop after a minute",
    "There's a separate issue with our exports.",
    "There\u2019s a separate issue with our exports.",
    "While I\u2019m here: the sidebar counters are wrong",
    "This is a different issue, but search is broken too",
    "New issue: macros disappeared",
    "Also, unrelated: the chat widget is gone.",
    "also unrelated - our API key stopped working",
    "An unrelated issue, but the widget is gone",
    "Unrelated, but the API returns 500s",
    "One more issue: CSV export fails",
    "Second issue: the sidebar counters are wrong",
    "I've got another small problem with the knowledge base",
    "ANOTHER ISSUE!!! Search is down",
    "On a different note, our webhooks stopped",
    "On another note: SSO fails for new agents",
    "While I have you, can you look at our routing rules?",
    "While I'm here: voice recordings are missing",
    "Separately, the AI summaries are empty.",
    "We found an additional bug in the export",
    "Hi! Thanks. Something unrelated: reports are empty",
    "Quick unrelated question: how do I add a queue?",
    "Fixed, thanks. Another request: can you enable the API for us?",
    "It's not the same team, but I have a second problem: exports fail",
    "No, I have another issue: exports fail",
    "Not sure if it's related, but I have another issue with exports",
]

STAYS = [
    "",
    "Is this another symptom of the same issue?",
    "Another symptom of the same issue: the counters are wrong too.",
    "This is not a separate issue, just more detail.",
    "It isn't a new issue, it happened last week too.",
    "I don't think this is a different problem.",
    "Is this a new issue?",
    "Could this be a different problem?",
    "Same issue again this morning.",
    "The issue is back.",
    "Thanks, that fixed it!",
    "Another thing: it only happens in Chrome.",
    "Here is another screenshot of the issue",
    "Any news on this issue?",
    "Here are more details about the problem.",
    "This is related to this issue, see the log.",
    "No new issues since the fix.",
    "I tried another browser and the problem remains.",
    "The new version has the same problem.",
    "We have issues with the other agent's inbox too, same error.",
    "Is it unrelated to the outage?",
]


@pytest.mark.parametrize("text", OPENS)
def test_opens_another_issue(text: str) -> None:
    assert opens_another_issue(text)


@pytest.mark.parametrize("text", STAYS)
def test_stays_on_the_same_issue(text: str) -> None:
    assert not opens_another_issue(text)


def test_only_the_sentence_that_asks_is_excused() -> None:
    text = "Is this a new issue? Also, unrelated: the API is down."
    assert opens_another_issue(text)


# Email intake: the request an email post becomes.

LIMITS = {"subject_limit": 150, "description_limit": 3000}
LINK = "https://acme.slack.com/archives/C0EMAIL/p1763400000000100"


class Links:
    """Hands out the message's link and counts how often it was asked for."""

    def __init__(self, link: str | None = LINK) -> None:
        self.link = link
        self.asked = 0

    def __call__(self) -> str | None:
        self.asked += 1
        return self.link


def _filed(email: Email, links: Links | None = None) -> EmailRequest:
    return email_request(email, link=links or Links(), **LIMITS)


def test_an_email_gives_its_subject_text_and_sender() -> None:
    links = Links()
    email = Email(
        subject="Exports time out",
        body="Hello,\r\n\r\nevery export times out.\r\n",
        sender_address="dana@acme.example",
        sender_name="  Dana   Reyes ",
    )

    filed = _filed(email, links)

    assert filed == EmailRequest(
        subject="Exports time out",
        description="Hello,\n\nevery export times out.",
        requester_name="Dana Reyes",
        requester_contact="dana@acme.example",
        readable=True,
    )
    assert links.asked == 0  # a readable email that fits needs no link


def test_text_only_reads_as_before_first_line_and_all_of_it() -> None:
    filed = _filed(Email(note="\n  Exports fail   since Monday \nEvery export times out."))

    assert filed.subject == "Exports fail since Monday"
    assert filed.description == "Exports fail   since Monday \nEvery export times out."
    assert (filed.requester_name, filed.requester_contact) == ("", None)


def test_a_subject_alone_is_its_own_description() -> None:
    filed = _filed(Email(subject="Exports time out\n\tagain"))

    assert (filed.subject, filed.description) == ("Exports time out", "Exports time out")


def test_the_message_words_come_before_the_email_and_are_not_repeated() -> None:
    assert _filed(Email(subject="S", body="The body", note="FYI, urgent")).description == (
        "FYI, urgent\n\nThe body"
    )
    assert _filed(Email(subject="S", body="Intro. The body", note="The body")).description == (
        "Intro. The body"
    )


@pytest.mark.parametrize(
    "email",
    [
        Email(),
        Email(subject=" \n\t", body="\n\n", note="   "),
        Email(subject="\x00\x01", body="\x7f", sender_address="dana@acme.example"),
    ],
    ids=["nothing", "blank", "control-characters"],
)
def test_nothing_to_read_is_an_unreadable_email_with_its_link(email: Email) -> None:
    filed = _filed(email)

    assert filed.subject == UNREADABLE_SUBJECT
    assert not filed.readable
    assert LINK in filed.description
    assert filed.requester_contact == email.sender_address


def test_an_unreadable_email_without_a_link_still_says_where_it_is() -> None:
    filed = _filed(Email(), Links(None))

    assert filed.description.strip()
    assert "email channel" in filed.description


def test_a_huge_body_is_cut_to_the_limit_and_links_to_the_whole() -> None:
    links = Links()
    filed = _filed(Email(subject="S" * 500, body="word " * 100_000), links)

    assert len(filed.subject) == 150
    assert filed.subject.endswith("…")
    assert len(filed.description) <= 3000
    assert filed.description.startswith("word word")
    assert filed.description.endswith(LINK)
    assert links.asked == 1


def test_a_partial_body_links_to_the_whole_even_when_short() -> None:
    filed = _filed(Email(subject="S", body="The start of it", partial=True))

    assert filed.description.startswith("The start of it")
    assert filed.description.endswith(LINK)


def test_a_link_too_long_to_fit_is_left_out() -> None:
    filed = email_request(
        Email(subject="S", body="x" * 500),
        link=lambda: "https://x/" + "y" * 400,
        subject_limit=150,
        description_limit=300,
    )

    assert len(filed.description) <= 300
    assert "yyyy" not in filed.description


def test_control_characters_are_removed() -> None:
    filed = _filed(Email(subject="Ex\x00ports\x1b", body="a\x00b\tc\r\nd"))

    assert (filed.subject, filed.description) == ("Exports", "ab\tc\nd")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("dana@acme.example", "dana@acme.example"),
        ("  dana.reyes+support@mail.acme.co.uk ", "dana.reyes+support@mail.acme.co.uk"),
        ("", None),
        ("dana", None),
        ("dana@localhost", None),
        ("Dana <dana@acme.example>", None),
        ("dana@acme.example|click", None),
        ("<!channel>@acme.example", None),
        ("a b@acme.example", None),
        ("x" * 250 + "@acme.example", None),
    ],
)
def test_only_an_address_a_reply_could_go_to_is_a_contact(value: str, expected: str | None) -> None:
    assert sender_address(value) == expected
    assert _filed(Email(subject="S", sender_address=value)).requester_contact == expected


def test_a_long_sender_name_is_cut() -> None:
    assert len(_filed(Email(subject="S", sender_name="n" * 1000)).requester_name) == 120
