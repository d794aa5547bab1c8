"""Steps of a requester's and an engineer's life, played as signed Slack traffic."""

from __future__ import annotations

from typing import Any

from bot.devtools.driver import SlackDriver
from bot.devtools.harness import Harness
from bot.slack.ids import Field


def filing_values(
    *,
    subject: str = "Inbox does not load",
    description: str = "Agents see a spinner on the inbox since this morning.",
    impact: str | None = "high",
    area: str = "email",
    contact: str = "thread",
    project: str | None = None,
    kind: str = "problem",
    one_issue: bool = False,
) -> dict[str, Any]:
    """`view.state.values` for the filing modal."""
    state = SlackDriver.state
    parts = [
        state(Field.SUBJECT, Field.SUBJECT, "plain_text_input", subject),
        state(Field.DESCRIPTION, Field.DESCRIPTION, "plain_text_input", description),
        state(Field.AREA, Field.AREA, "static_select", area),
        state(Field.CONTACT, Field.CONTACT, "radio_buttons", contact),
        state(Field.PROJECT, Field.PROJECT, "plain_text_input", project),
        state(Field.KIND, Field.KIND, "radio_buttons", kind),
        state(Field.ONE_ISSUE, Field.ONE_ISSUE, "checkboxes", ["one_issue"] if one_issue else []),
    ]
    if impact is not None:
        parts.append(state(Field.IMPACT, Field.IMPACT, "radio_buttons", impact))
    return SlackDriver.merge_states(*parts)


def open_modal(world: Harness, user_id: str) -> dict[str, Any]:
    """Type /kustomer-support and return the modal the app opened."""
    before = len(world.standin.calls_to("views.open"))
    response = world.driver.slash_command(user_id=user_id)
    assert response.status == 200
    world.standin.wait_for("views.open", count=before + 1)
    return dict(world.standin.views_opened()[-1])


def submit(world: Harness, user_id: str, view: dict[str, Any], **values: Any) -> Any:
    """Submit the modal with the given field values; returns the HTTP response."""
    return world.driver.view_submission(user_id=user_id, view=view, values=filing_values(**values))


def file(world: Harness, user_id: str, **values: Any) -> dict[str, Any]:
    """File a request through the modal and return its root message as the stand-in stored it."""
    view = open_modal(world, user_id)
    channels = (world.cast.support_channel, world.cast.oncall_channel)
    before = sum(len(roots(world, channel)) for channel in channels)
    response = submit(world, user_id, view, **values)
    assert response.status == 200, response.body
    assert response.body in ("", "{}"), response.body
    world.standin.wait_for(
        "chat.postMessage",
        predicate=lambda call: (
            call.params.get("channel") in channels and not call.params.get("thread_ts")
        ),
        count=before + 1,
    )
    newest = [m for channel in channels for m in roots(world, channel)]
    return max(newest, key=lambda message: float(message["ts"]))


def roots(world: Harness, channel: str) -> list[dict[str, Any]]:
    """Top-level messages of a channel."""
    return [m for m in world.standin.messages(channel) if not m.get("thread_ts")]


def thread_replies(world: Harness, root: dict[str, Any]) -> list[dict[str, Any]]:
    """Replies in a root message's thread (without the root)."""
    return [m for m in world.standin.thread(root["channel"], root["ts"]) if m["ts"] != root["ts"]]
