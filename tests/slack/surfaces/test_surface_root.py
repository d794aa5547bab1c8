"""The request's root message and the requester's filing confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from outage_samples import incident
from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_no_relative_time,
    assert_valid_message,
    block,
    elements_by_action,
    make_request,
)

from bot.slack.ids import Action, Block
from bot.slack.surfaces.blocks import Message, when
from bot.slack.surfaces.messages import filing_confirmation, request_root

OPEN_ACTIONS = [
    Action.TAKE,
    Action.CHANGE_PRIORITY,
    Action.WAIT_ON_CUSTOMER,
    Action.ESCALATE_DEVELOPMENT,
    Action.ESCALATE_LEADERSHIP,
    Action.RESOLVE,
    Action.REPORT_ANOTHER,
]


def _root(**overrides: Any) -> Message:
    message = request_root(make_request(**overrides))
    assert_valid_message(message)
    assert_no_relative_time(message)
    return message


def _actions(message: Message) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = block(message.blocks, Block.REQUEST_ACTIONS)["elements"]
    return elements


def _fields(message: Message, block_index: int) -> dict[str, str]:
    texts = [f["text"] for f in message.blocks[block_index]["fields"]]
    return dict(text.split("\n", 1) for text in texts)


def _summary(message: Message) -> dict[str, str]:
    fields = block(message.blocks, Block.REQUEST_SUMMARY)["fields"]
    return dict(f["text"].split("\n", 1) for f in fields)


def _clocks(message: Message) -> dict[str, str]:
    summary = message.blocks.index(block(message.blocks, Block.REQUEST_SUMMARY))
    return _fields(message, summary + 1)


def test_new_request_root() -> None:
    message = _root()
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "KS-1042 · Inbox does not load", "emoji": True},
    }
    assert _summary(message) == {
        "*Impact*": "High",
        "*Status*": "New",
        "*Requester*": "<@U0REQUESTER>",
        "*Assignee*": "Unassigned",
        "*Area*": "Email",
        "*Contact preference*": "In this Slack thread",
        "*Kind*": "Problem report",
        "*Intake*": "Chat",
    }
    due = int(NOW.add(hours=1).timestamp())
    clocks = _clocks(message)
    assert clocks["*First response due*"] == when(NOW.add(hours=1))
    assert clocks["*First response due*"].startswith(f"<!date^{due}^")
    assert clocks["*Resolution*"].startswith("Due <!date^")
    assert "Since 9:00 the inbox shows a spinner" in all_text(message.blocks)
    assert message.text == "KS-1042 · High · Inbox does not load"


def test_actions_carry_the_request_id() -> None:
    elements = _actions(_root())
    assert [e["action_id"] for e in elements] == OPEN_ACTIONS
    assert elements[0]["text"]["text"] == "Take it"
    for element in elements:
        if element["type"] == "button":
            assert element["value"] == "42"
    select = elements_by_action(elements)[Action.CHANGE_PRIORITY]
    assert [o["value"] for o in select["options"]] == [
        "42:low",
        "42:medium",
        "42:high",
        "42:critical",
    ]
    assert select["initial_option"]["value"] == "42:high"
    resolve = elements_by_action(elements)[Action.RESOLVE]
    assert resolve["style"] == "primary"
    assert resolve["confirm"]["confirm"]["text"] == "Resolve"


def test_assigned_request_offers_reassignment() -> None:
    message = _root(assignee_id="U0ENGINEER", status="in_progress")
    assert _actions(message)[0]["text"]["text"] == "Reassign to me"
    assert _summary(message)["*Assignee*"] == "<@U0ENGINEER>"
    owner = request_root(
        make_request(assignee_id="U0ENGINEER", project="Migration"), project_owner=True
    )
    assert _summary(owner)["*Assignee*"] == "<@U0ENGINEER> (project owner)"
    assert _summary(owner)["*Project*"] == "Migration"


def test_waiting_on_customer_flips_the_button_and_pauses_resolution() -> None:
    message = _root(status="waiting_on_customer", resolution_paused_since=NOW)
    ids = [e["action_id"] for e in _actions(message)]
    assert Action.CUSTOMER_REPLIED in ids
    assert Action.WAIT_ON_CUSTOMER not in ids
    assert _clocks(message)["*Resolution*"] == "paused — waiting on customer"


def test_escalations_hide_their_buttons() -> None:
    message = _root(
        status="escalated_to_development",
        escalated_to_development_at=NOW,
        escalated_to_leadership_at=NOW,
    )
    ids = [e["action_id"] for e in _actions(message)]
    assert Action.ESCALATE_DEVELOPMENT not in ids
    assert Action.ESCALATE_LEADERSHIP not in ids
    assert Action.RESOLVE in ids
    resolution = _clocks(message)["*Resolution*"]
    assert resolution == "escalated to Development — off the resolution clock"


def test_responded_and_breached() -> None:
    message = _root(first_responded_at=NOW.add(hours=2), breached_at=NOW.add(hours=1))
    clocks = _clocks(message)
    assert clocks["*First response*"].startswith("Responded <!date^")
    assert "*BREACHED* <!date^" in clocks["*First response*"]
    late = _root(breached_at=NOW.add(hours=1), resolution_breached_at=NOW.add(days=6))
    first = f"{when(NOW.add(hours=1))}\n:red_circle: *BREACHED* {when(NOW.add(hours=1))}"
    assert _clocks(late)["*First response due*"] == first
    resolution = f"Due {when(NOW.add(days=6))}\n:red_circle: *BREACHED* {when(NOW.add(days=6))}"
    assert _clocks(late)["*Resolution*"] == resolution


def test_resolved_request_only_offers_another_issue() -> None:
    message = _root(status="resolved", resolved_at=NOW.add(days=1))
    assert [e["action_id"] for e in _actions(message)] == [Action.REPORT_ANOTHER]
    assert _actions(message)[0]["value"] == "42"
    assert _clocks(message)["*Resolution*"].startswith("Resolved <!date^")


def test_critical_pages_on_call_until_answered() -> None:
    request = make_request(priority="critical")
    message = request_root(request, oncall_group_id="S0ONCALL")
    assert_valid_message(message)
    assert "<!subteam^S0ONCALL>" in message.blocks[1]["text"]["text"]
    assert "on-call" in message.blocks[1]["text"]["text"]
    answered = request_root(
        make_request(priority="critical", first_responded_at=NOW), oncall_group_id="S0ONCALL"
    )
    assert "<!subteam^" not in str(answered.blocks)
    high = request_root(make_request(), oncall_group_id="S0ONCALL")
    assert "<!subteam^" not in str(high.blocks)


def test_email_intake_and_incident_link() -> None:
    request = make_request(intake_channel="email", priority="medium", incident_id="inc_4x9k")
    message = request_root(request, incident=incident("inc_4x9k"))
    assert_valid_message(message)
    assert _summary(message)["*Intake*"] == "Email"
    text = all_text(message.blocks)
    assert "Vendor incident: *Email delivery delayed* · Identified" in text
    assert "<https://stspg.example/inc_4x9k|status page>" in text
    assert "paged once" not in text


def test_without_a_status_page_no_incident_shows() -> None:
    message = _root(incident_id="inc_4x9k")
    assert "incident" not in all_text(message.blocks).lower()


def test_a_critical_root_merged_into_an_outage_summary_pages_nobody() -> None:
    request = make_request(priority="critical", incident_id="inc1")
    message = request_root(request, oncall_group_id=None, incident=incident(), merged=True)
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "<!subteam^" not in text
    assert "*Critical* request: the on-call team is needed now." in text
    assert "On-call was paged once for this incident" in text


def test_user_text_is_escaped_everywhere() -> None:
    message = _root(
        subject=HOSTILE,
        description=HOSTILE,
        project=HOSTILE,
        requester_name=HOSTILE,
        requester_id="not-a-user-id",
    )
    assert_no_live_tokens(message.blocks)
    assert_no_live_tokens(message.text)
    assert "&lt;!channel&gt;" in message.blocks[0]["text"]["text"]


def test_worst_case_sizes_fit() -> None:
    request = make_request(
        subject="&" * 150,
        description="<" * 3000,
        project="&" * 120,
        priority="critical",
        breached_at=NOW,
        resolution_breached_at=NOW,
        incident_id="i" * 64,
    )
    outage = incident("i" * 64, HOSTILE * 40, status="<" * 32)
    message = request_root(request, oncall_group_id="S0ONCALL", incident=outage, merged=True)
    assert_valid_message(message)
    assert len(message.blocks[0]["text"]["text"]) <= 150
    assert_no_live_tokens(message.blocks)


def test_filing_confirmation() -> None:
    request = make_request()
    link = "https://acme.slack.com/archives/C0SUPPORT/p1700000000000100"
    message = filing_confirmation(request, permalink=link)
    assert_valid_message(message)
    assert_no_relative_time(message)
    text = all_text(message.blocks)
    assert "*KS-1042*" in text
    assert "<#C0SUPPORT>" in text
    assert f"First response due {when(NOW.add(hours=1))}." in text
    button = elements_by_action(message.blocks)[Action.OPEN_CONVERSATION]
    assert button["url"] == link
    assert "KS-1042" in message.text


@pytest.mark.parametrize("permalink", [None, "", "javascript:alert(1)"])
def test_filing_confirmation_without_a_usable_link(permalink: str | None) -> None:
    message = filing_confirmation(make_request(), permalink=permalink)
    assert_valid_message(message)
    assert [b["type"] for b in message.blocks] == ["section"]


def test_filing_confirmation_before_the_conversation_opens() -> None:
    message = filing_confirmation(
        make_request(slack_channel_id=None, thread_ts=None), permalink=None
    )
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "*KS-1042* is filed" in text
    assert "opens shortly" in text and "Sorry" not in text
    assert [b["type"] for b in message.blocks] == ["section"]


def test_filing_confirmation_says_critical_and_email() -> None:
    critical = filing_confirmation(make_request(priority="critical"), permalink=None)
    email = filing_confirmation(
        make_request(intake_channel="email", priority="medium"), permalink=None
    )
    assert_no_relative_time(critical)
    assert_no_relative_time(email)
    assert "on-call" in all_text(critical.blocks)
    assert "*Medium*" in all_text(email.blocks)


def test_filing_confirmation_escapes() -> None:
    message = filing_confirmation(
        make_request(subject=HOSTILE, slack_channel_id="<!channel>"),
        permalink=None,
    )
    assert_no_live_tokens(message.blocks)
    assert "<!here>" not in str(message.blocks)
    assert_valid_message(message)


ROOT_STATES = {
    "new": {},
    "critical": {"priority": "critical", "first_response_due_at": NOW.add(minutes=15)},
    "breached": {"breached_at": NOW.add(hours=1)},
    "answered": {"first_responded_at": NOW.add(minutes=30), "status": "in_progress"},
    "waiting": {"status": "waiting_on_customer", "resolution_paused_since": NOW},
    "resolution breached": {
        "first_responded_at": NOW,
        "resolution_breached_at": NOW.add(days=6),
        "status": "in_progress",
    },
    "resolved": {"status": "resolved", "resolved_at": NOW.add(days=1)},
}


@pytest.mark.parametrize("state", ROOT_STATES.values(), ids=ROOT_STATES.keys())
def test_posted_messages_show_instants_as_date_tokens_only(state: dict[str, Any]) -> None:
    request = make_request(**state)
    for message in (
        request_root(request, oncall_group_id="S0ONCALL"),
        filing_confirmation(request, permalink=None),
    ):
        assert_valid_message(message)
        assert_no_relative_time(message)
        assert "<!date^" in all_text(message.blocks)


def test_each_version_of_the_root_has_its_own_actions_block_id() -> None:
    """Slack keeps a person's menu choice across an update of the same block id."""
    first = request_root(make_request(version=2))
    second = request_root(make_request(version=3))

    ids = [{b.get("block_id") for b in m.blocks if b["type"] == "actions"} for m in (first, second)]
    assert ids[0] != ids[1]
