"""Filing from a Slack Connect channel (§11), end to end: a customer's message gets an impact
prompt in its thread, a pick files it, the prompt lapses after a day, the help message is
pinned once, the desk is told once about a shared channel no account maps, and staff file on
an account's behalf with the slash command.

The account is mapped with the real command line (`python -m bot accounts add`, in process).
Customers are people of another organisation: Slack flags their events `is_ext_shared_channel`
and never sends their slash commands.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.cli import main as cli
from bot.clock import ManualClock
from bot.devtools.connect_cast import CustomerOrg
from bot.devtools.harness import Harness
from bot.domain.model import Request
from bot.slack.ids import Action, Field
from tests.e2e.flows import filing_values, settle, stored_requests

PROBLEM = "The inbox does not load since 9am\nAgents see a spinner on every conversation."
PICK = Action.PICK_IMPACT.value


@pytest.fixture
def acme(world: Harness, monkeypatch: pytest.MonkeyPatch) -> CustomerOrg:
    """Acme, an Enterprise customer sharing a channel, mapped by the operator's command."""
    org = world.add_customer_org()
    _map(world, monkeypatch, org, tier="enterprise")
    return org


def _map(world: Harness, monkeypatch: pytest.MonkeyPatch, org: CustomerOrg, *, tier: str) -> None:
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    argv = ["accounts", "add", "--name", org.name, "--tier", tier, "--channel", org.channel]
    assert cli([*argv, "--team", org.team_id, "--admin", org.admin]) == 0


def _post(world: Harness, org: CustomerOrg, user: str, text: str, **fields: Any) -> str:
    """A person writes a top-level message in the shared channel (and Slack tells the app)."""
    ts = fields.pop("ts", None) or world.standin.add_message(org.channel, user=user, text=text)
    response = world.driver.message_event(
        channel_id=org.channel, user_id=user, text=text, ts=ts, **fields
    )
    assert response.status == 200
    return ts


def _answers(world: Harness, org: CustomerOrg, ts: str) -> list[dict[str, Any]]:
    """The app's messages in the thread of the message at `ts`, as they read now."""
    settle(world)
    replies = world.standin.thread(org.channel, ts)[1:]
    return [{**reply, "channel": org.channel} for reply in replies]


def _prompt(world: Harness, org: CustomerOrg, ts: str) -> dict[str, Any]:
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == ts)
    [prompt] = _answers(world, org, ts)
    return prompt


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    }


def _click(world: Harness, user: str, message: dict[str, Any], action_id: str) -> None:
    button = _buttons(message)[action_id]
    response = world.driver.block_action(
        user_id=user,
        action_id=action_id,
        value=button["value"],
        channel_id=message["channel"],
        message={k: v for k, v in message.items() if k != "channel"},
    )
    assert response.status == 200, response.body
    settle(world)


def _text(message: dict[str, Any]) -> str:
    return json.dumps({"text": message.get("text"), "blocks": message.get("blocks")})


def _one_request(world: Harness) -> Request:
    [request] = stored_requests(world)
    return request


def test_an_admins_message_is_prompted_once_and_a_pick_files_it(
    world: Harness, acme: CustomerOrg
) -> None:
    event_id = "EvACME1"
    ts = _post(world, acme, acme.admin, PROBLEM, event_id=event_id)
    prompt = _prompt(world, acme, ts)

    # Slack retries the event, and may deliver the same message under a new event id.
    _post(world, acme, acme.admin, PROBLEM, ts=ts, event_id=event_id, retry_num=1)
    _post(world, acme, acme.admin, PROBLEM, ts=ts, event_id="EvACME1BIS")
    assert len(_answers(world, acme, ts)) == 1

    shown = _text(prompt)
    for label, target in (
        ("Low", "within 4 hours"),
        ("Medium", "within 2 hours"),
        ("High", "within 1 hour"),
        ("Critical", "within 15 minutes, 24/7"),
    ):
        assert f"*{label}*: first response {target}" in shown
    picks = [a for a in _buttons(prompt) if a.startswith(PICK)]
    assert len(picks) == 4 and Action.FILE_WITH_DETAILS in _buttons(prompt)

    _click(world, acme.admin, prompt, f"{PICK}.critical")

    request = _one_request(world)
    assert (request.priority, request.intake_channel) == ("critical", "chat")
    assert request.description == PROBLEM and request.subject == PROBLEM.splitlines()[0]
    assert request.account_id is not None and request.requester_id == acme.admin
    assert (request.customer_channel_id, request.customer_thread_ts) == (acme.channel, ts)
    assert request.slack_channel_id == world.cast.oncall_channel  # the internal triage card
    now_reads = world.standin.message(acme.channel, prompt["ts"])
    assert now_reads is not None and request.key in _text(now_reads)
    assert _buttons(now_reads) == {}
    # A second click files nothing more.
    _click(world, acme.admin, prompt, f"{PICK}.low")
    assert len(stored_requests(world)) == 1


@pytest.mark.parametrize(
    "text", ["thanks!", "ok 👍", ":pray:", "<@UBOT> thanks", "any news on KS-1001?"]
)
def test_a_thanks_or_a_reply_to_the_app_gets_no_prompt(
    world: Harness, acme: CustomerOrg, text: str
) -> None:
    ts = _post(world, acme, acme.admin, text)

    assert _answers(world, acme, ts) == []
    assert stored_requests(world) == []


def test_a_member_is_filed_at_once_at_medium_by_email_with_the_reason(
    world: Harness, acme: CustomerOrg
) -> None:
    ts = _post(world, acme, acme.member, PROBLEM)
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == ts)
    settle(world)

    request = _one_request(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    assert request.customer_thread_ts == ts and request.requester_id == acme.member
    answer = _answers(world, acme, ts)[0]  # the app's answer, then the request's own note
    assert request.key in _text(answer) and "owners and administrators" in _text(answer)
    assert "email route" in _text(answer)
    assert not [a for a in _answers(world, acme, ts) if _buttons(a)]


def test_anyone_of_a_professional_account_is_filed_at_medium_by_email(
    world: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    globex = world.add_customer_org(
        name="globex", team_id="T0GLOBEX", channel="C0GLOBEX", admin="U0GLOADA", member="U0GLOBOB"
    )
    _map(world, monkeypatch, globex, tier="professional")

    ts = _post(world, globex, globex.admin, PROBLEM)
    world.standin.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == ts)
    settle(world)

    request = _one_request(world)
    assert (request.priority, request.intake_channel) == ("medium", "email")
    answers = [_text(a) for a in _answers(world, globex, ts)]
    assert any("Professional plan" in a and request.key in a for a in answers)


def test_an_unanswered_prompt_lapses_quietly_after_24_hours(
    world: Harness, acme: CustomerOrg, clock: ManualClock
) -> None:
    ts = _post(world, acme, acme.admin, PROBLEM)
    prompt = _prompt(world, acme, ts)

    clock.advance(hours=23)
    world.runtime.scheduler.tick()
    assert _buttons(world.standin.message(acme.channel, prompt["ts"]) or {})
    clock.advance(hours=1)
    world.runtime.scheduler.tick()

    lapsed = world.standin.message(acme.channel, prompt["ts"])
    assert lapsed is not None and _buttons(lapsed) == {} and "lapsed" in _text(lapsed)
    assert len(_answers(world, acme, ts)) == 1  # edited in place: no notice
    _click(world, acme.admin, prompt, f"{PICK}.high")
    assert stored_requests(world) == []
    [told] = world.standin.ephemerals(user=acme.admin)
    assert "lapsed" in told["text"]


def test_an_unmapped_shared_channel_is_silent_and_the_desk_is_told_once(
    world: Harness,
) -> None:
    stray = world.add_customer_org(
        name="initech",
        team_id="T0INITECH",
        channel="C0INITECH",
        admin="U0INIADA",
        member="U0INIBOB",
    )

    first = _post(world, stray, stray.member, PROBLEM)
    world.standin.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.params.get("channel") == world.cast.support_channel,
    )
    second = _post(world, stray, stray.admin, "Is anyone there?")
    settle(world)

    assert _answers(world, stray, first) == [] and _answers(world, stray, second) == []
    app_posts = [m for m in world.standin.messages(stray.channel) if m.get("bot_id")]
    assert app_posts == [] and world.standin.ephemerals(channel=stray.channel) == []
    [notice] = world.standin.messages(world.cast.support_channel)
    assert "<#C0INITECH>" in _text(notice) and "T0INITECH" in _text(notice)
    assert "python -m bot accounts add" in _text(notice)
    assert stored_requests(world) == []


def test_the_help_message_is_posted_and_pinned_once(world: Harness, acme: CustomerOrg) -> None:
    for _ in range(3):
        world.runtime.scheduler.tick()

    [pin] = world.standin.pins(acme.channel)
    [help_message] = [m for m in world.standin.messages(acme.channel) if m.get("bot_id")]
    assert pin["message"]["ts"] == help_message["ts"]
    assert "Need help? File a support request" in _text(help_message)
    assert _buttons(help_message)[Action.FILE_WITH_DETAILS]["value"] == "pin"


def test_file_with_details_from_the_pin_opens_the_modal_and_starts_a_thread(
    world: Harness, acme: CustomerOrg
) -> None:
    world.runtime.scheduler.tick()
    [help_message] = [m for m in world.standin.messages(acme.channel) if m.get("bot_id")]

    _click(world, acme.admin, {**help_message, "channel": acme.channel}, Action.FILE_WITH_DETAILS)
    view = world.standin.views_opened()[-1]
    assert any(b.get("block_id") == Field.IMPACT for b in view["blocks"])  # an admin picks
    response = world.driver.view_submission(
        user_id=acme.admin, view=view, values=filing_values(subject="Exports fail", impact="high")
    )
    assert response.status == 200 and response.body in ("", "{}"), response.body
    settle(world)

    request = _one_request(world)
    assert (request.priority, request.account_id) == ("high", _account_id(world))
    opener = world.standin.message(acme.channel, request.customer_thread_ts or "")
    assert opener is not None and opener.get("bot_id") and not opener.get("thread_ts")
    assert request.key in _text(opener) and "Exports fail" in _text(opener)


def test_file_with_details_from_a_prompt_keeps_the_message_and_its_thread(
    world: Harness, acme: CustomerOrg
) -> None:
    ts = _post(world, acme, acme.admin, PROBLEM)
    prompt = _prompt(world, acme, ts)

    _click(world, acme.admin, prompt, Action.FILE_WITH_DETAILS)
    view = world.standin.views_opened()[-1]
    description = next(b for b in view["blocks"] if b.get("block_id") == Field.DESCRIPTION)
    assert description["element"]["initial_value"] == PROBLEM
    values = filing_values(subject="Inbox spinner", description=PROBLEM, impact="low")
    world.driver.view_submission(user_id=acme.admin, view=view, values=values)
    settle(world)

    request = _one_request(world)
    assert (request.priority, request.customer_thread_ts) == ("low", ts)
    assert request.key in _text(world.standin.message(acme.channel, prompt["ts"]) or {})


def test_a_members_details_modal_offers_only_the_email_route(
    world: Harness, acme: CustomerOrg
) -> None:
    world.runtime.scheduler.tick()
    [help_message] = [m for m in world.standin.messages(acme.channel) if m.get("bot_id")]

    _click(world, acme.member, {**help_message, "channel": acme.channel}, Action.FILE_WITH_DETAILS)

    view = world.standin.views_opened()[-1]
    assert not any(b.get("block_id") == Field.IMPACT for b in view["blocks"])
    assert "email route" in json.dumps(view["blocks"])


def test_staff_file_on_the_accounts_behalf_from_the_shared_channel(
    world: Harness, acme: CustomerOrg
) -> None:
    before = len(world.standin.calls_to("views.open"))
    response = world.driver.slash_command(user_id=world.cast.engineer, channel_id=acme.channel)
    assert response.status == 200
    world.standin.wait_for("views.open", count=before + 1)
    view = world.standin.views_opened()[-1]
    assert any(b.get("block_id") == Field.REQUESTER for b in view["blocks"])

    values = filing_values(subject="Acme's SSO fails", impact="critical")
    values[Field.REQUESTER] = {
        Field.REQUESTER: {"type": "users_select", "selected_user": acme.member}
    }
    world.driver.view_submission(user_id=world.cast.engineer, view=view, values=values)
    settle(world)

    request = _one_request(world)
    assert (request.priority, request.requester_id) == ("critical", acme.member)
    assert request.account_id == _account_id(world) and request.team_id == acme.team_id
    assert request.customer_channel_id == acme.channel and request.customer_thread_ts


def _account_id(world: Harness) -> int:
    with world.runtime.desk.db.unit_of_work() as uow:
        [account] = uow.accounts.all()
    return account.id
