"""Timer and escalation notices, and the digest that combines many of them."""

from __future__ import annotations

import pytest
from surface_checks import (
    HOSTILE,
    NOW,
    all_text,
    assert_no_live_tokens,
    assert_valid_message,
    elements_by_action,
    make_request,
)

from bot.slack.ids import Action
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.notices import (
    breach_notice,
    digest,
    escalation_post,
    reminder_notice,
    resolution_breach_notice,
    resolution_reminder,
    update_nudge,
)

GROUP = "<!subteam^S0SUPPORT>"


def _token(instant: object) -> str:
    return f"<!date^{int(instant.timestamp())}^"  # type: ignore[attr-defined]


def test_reminder_notice() -> None:
    due = NOW.add(hours=1)
    message = reminder_notice(
        make_request(),
        mention=GROUP,
        left_phrase="12 min",
        due_at=due,
        fraction=0.8,
        clock="business",
    )
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert text.startswith(f":hourglass_flowing_sand: {GROUP} *KS-1042* (High)")
    assert "12 min left" in text
    assert _token(due) in text
    assert "80% of the target used on the business-hours clock" in text
    wall = reminder_notice(
        make_request(), mention="", left_phrase="3 min", due_at=due, fraction=0.5, clock="wall"
    )
    assert "50% of the target used on the 24/7 clock" in all_text(wall.blocks)


def test_breach_notice() -> None:
    message = breach_notice(make_request(), mention="<@U0ENGINEER>")
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "<@U0ENGINEER>" in text
    assert "missed its first-response target" in text
    assert _token(NOW.add(hours=1)) in text


def test_update_nudge() -> None:
    replied = make_request(priority="critical", last_engineer_reply_at=NOW.add(minutes=20))
    message = update_nudge(replied, mention=GROUP)
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert "an update is due — last engineer reply " + _token(NOW.add(minutes=20)) in text
    silent = update_nudge(make_request(priority="critical"), mention=GROUP)
    assert "no engineer reply yet" in all_text(silent.blocks)


def test_resolution_notices() -> None:
    due = NOW.add(days=6)
    reminder = resolution_reminder(make_request(), mention=GROUP, left_phrase="1 day", due_at=due)
    breach = resolution_breach_notice(make_request(), mention=GROUP)
    for message in (reminder, breach):
        assert_valid_message(message)
        assert _token(due) in all_text(message.blocks)
    assert "1 day left" in all_text(reminder.blocks)
    assert "passed its resolution target" in all_text(breach.blocks)
    undated = resolution_breach_notice(make_request(resolution_due_at=None), mention="")
    assert_valid_message(undated)


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("breach", "First-response target breached"),
        ("leadership", "Escalated to support leadership"),
        ("resolution_breach", "Resolution target passed"),
        ("resolution", "Resolution target passed"),
    ],
)
def test_escalation_post(reason: str, words: str) -> None:
    link = "https://acme.slack.com/archives/C0SUPPORT/p1"
    message = escalation_post(make_request(), permalink=link, reason=reason, actor_id="U0BOSS")
    assert_valid_message(message)
    text = all_text(message.blocks)
    assert words in text
    assert "by <@U0BOSS>" in text
    assert "KS-1042 · Inbox does not load" in text
    assert elements_by_action(message.blocks)[Action.OPEN_CONVERSATION]["url"] == link
    assert words in message.text


def test_escalation_post_without_actor_or_link() -> None:
    message = escalation_post(make_request(), permalink=None, reason="breach", actor_id=None)
    assert_valid_message(message)
    assert " by " not in all_text(message.blocks)
    assert not elements_by_action(message.blocks)


def test_escalation_post_refuses_unknown_reasons() -> None:
    with pytest.raises(ValueError, match="unknown escalation reason"):
        escalation_post(make_request(), permalink=None, reason="boredom", actor_id=None)


def _all_notices(subject: str, description: str) -> list[Message]:
    request = make_request(subject=subject, description=description, project=subject)
    due = NOW.add(hours=1)
    return [
        reminder_notice(
            request, mention=GROUP, left_phrase="5 min", due_at=due, fraction=0.5, clock="odd"
        ),
        breach_notice(request, mention=GROUP),
        update_nudge(request, mention=GROUP),
        resolution_reminder(request, mention=GROUP, left_phrase="2 h", due_at=due),
        resolution_breach_notice(request, mention=GROUP),
        escalation_post(request, permalink=None, reason="leadership", actor_id="U0BOSS"),
    ]


def test_notices_escape_and_fit_worst_cases() -> None:
    for message in _all_notices(HOSTILE, HOSTILE) + _all_notices("&" * 150, "<" * 3000):
        assert_valid_message(message)
        assert_no_live_tokens(message.blocks)
        assert_no_live_tokens(message.text)


def test_digest_combines_notices() -> None:
    notices = [
        (make_request(id=1), "first response due in 5 min"),
        (make_request(id=2, priority="critical"), "breached"),
    ]
    message = digest(notices, title="2 requests need attention")
    assert_valid_message(message)
    assert message.blocks[0]["type"] == "header"
    text = all_text(message.blocks)
    assert "*KS-1001* · High — first response due in 5 min" in text
    assert "*KS-1002* · Critical — breached" in text
    assert "(2)" in message.text


def test_digest_caps_200_notices() -> None:
    notices = [(make_request(id=i, subject=HOSTILE), "x" * 500) for i in range(200)]
    message = digest(notices, title="<!channel> " * 40)
    assert_valid_message(message)
    assert_no_live_tokens(message.blocks)
    assert message.blocks[-1]["elements"][0]["text"].startswith("…and ")
    shown = all_text(message.blocks).count("*KS-")
    assert message.blocks[-1]["elements"][0]["text"] == f"…and {200 - shown} more"


def test_empty_digest() -> None:
    message = digest([], title="Nothing")
    assert_valid_message(message)
    assert "Nothing to report." in all_text(message.blocks)
