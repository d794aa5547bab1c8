"""What people do in Slack, played as signed traffic through the driver (demo and tests)."""

from __future__ import annotations

from typing import Any

from bot.devtools.driver import SlackDriver
from bot.devtools.standin import SlackStandIn
from bot.slack.ids import Action, Field

WAIT = 10.0


def filing_values(
    *,
    subject: str,
    description: str,
    impact: str | None = None,
    area: str = "other",
    contact: str = "thread",
    project: str | None = None,
    kind: str = "problem",
    one_issue: bool = False,
    incident: str | None = None,
) -> dict[str, Any]:
    """`view.state.values` of the filing modal (`incident`: the vendor incident linked)."""
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
    if incident is not None:
        parts.append(state(Field.INCIDENT, Field.INCIDENT, "static_select", incident))
    return SlackDriver.merge_states(*parts)


class Actors:
    """People at the keyboard: customers and engineers."""

    def __init__(
        self, driver: SlackDriver, standin: SlackStandIn, *, root_channels: tuple[str, ...]
    ) -> None:
        self.driver = driver
        self.standin = standin
        self.root_channels = root_channels

    def command(self, user_id: str, text: str = "") -> Any:
        """Type /kustomer-support [text]."""
        return self.driver.slash_command(user_id=user_id, text=text)

    def open_modal(self, user_id: str) -> dict[str, Any]:
        """Type /kustomer-support and get the modal the app opened."""
        before = len(self.standin.calls_to("views.open"))
        self.command(user_id)
        self.standin.wait_for("views.open", count=before + 1, timeout=WAIT)
        return self.standin.views_opened()[-1]

    def submit(self, user_id: str, view: dict[str, Any], **values: Any) -> dict[str, Any]:
        """Submit a filing modal and return the new request's root message."""
        before = len([c for c in self.standin.calls_to("chat.postMessage") if self._is_root(c)])
        self.driver.view_submission(user_id=user_id, view=view, values=filing_values(**values))
        self.standin.wait_for(
            "chat.postMessage",
            count=before + 1,
            timeout=WAIT,
            predicate=self._is_root,
        )
        return self.newest_root()

    def file(self, user_id: str, **values: Any) -> dict[str, Any]:
        """Open the modal and file a request; returns its root message."""
        return self.submit(user_id, self.open_modal(user_id), **values)

    def click(
        self, user_id: str, message: dict[str, Any], action: Action, *, option: str | None = None
    ) -> None:
        """Click a button (or pick a select option) on a message."""
        fresh = self.standin.message(message["channel"], message["ts"]) or message
        selected = _find_option(fresh, action, option) if option else None
        self.driver.block_action(
            user_id=user_id,
            action_id=action.value,
            message=fresh,
            channel_id=fresh["channel"],
            selected_option=selected,
        )

    def click_ephemeral(self, user_id: str, action: Action) -> dict[str, Any]:
        """Click the button on the newest ephemeral note shown to `user_id`; returns the view."""
        notes = self.standin.ephemerals(user=user_id) + self.standin.responses()
        note = next(n for n in reversed(notes) if _has_action(n, action))
        before = len(self.standin.calls_to("views.open"))
        self.driver.block_action(
            user_id=user_id,
            action_id=action.value,
            message={**note, "ts": note.get("ts") or note.get("message_ts") or "1.0"},
            channel_id=note.get("channel"),
        )
        self.standin.wait_for("views.open", count=before + 1, timeout=WAIT)
        return self.standin.views_opened()[-1]

    def reply(self, user_id: str, root: dict[str, Any], text: str) -> str:
        """Write in a request's thread (the stand-in stores it; Slack's event follows)."""
        ts = self.standin.add_message(
            root["channel"], user=user_id, text=text, thread_ts=root["ts"]
        )
        self.driver.message_event(
            channel_id=root["channel"], user_id=user_id, text=text, ts=ts, thread_ts=root["ts"]
        )
        return ts

    def post(self, user_id: str, channel: str, text: str) -> str:
        """Write a top-level message in a channel."""
        ts = self.standin.add_message(channel, user=user_id, text=text)
        self.driver.message_event(channel_id=channel, user_id=user_id, text=text, ts=ts)
        return ts

    def newest_root(self) -> dict[str, Any]:
        """The newest top-level message the app posted in any channel."""
        calls = [c for c in self.standin.calls_to("chat.postMessage") if self._is_root(c)]
        channel = calls[-1].params["channel"]
        roots = [m for m in self.standin.messages(channel) if not m.get("thread_ts")]
        return roots[-1]

    def _is_root(self, call: Any) -> bool:
        params = call.params
        return params.get("channel") in self.root_channels and not params.get("thread_ts")


def _has_action(message: dict[str, Any], action: Action) -> bool:
    return any(
        element.get("action_id") == action.value
        for block in message.get("blocks") or []
        for element in block.get("elements") or []
        if isinstance(element, dict)
    )


def _find_option(message: dict[str, Any], action: Action, value: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action.value:
                for option in element.get("options") or []:
                    if option["value"].endswith(f":{value}"):
                        return dict(option)
    raise LookupError(f"no option {value!r} for {action.value}")
