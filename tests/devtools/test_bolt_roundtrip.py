"""A real Bolt app over HTTP, driven by SlackDriver against the stand-in: the pieces fit."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient

from bot.devtools import SlackDriver, SlackStandIn, check_message, check_view

from .conftest import TOKEN

SECRET = "bolt-signing-secret"


def _filing_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "file_request",
        "title": {"type": "plain_text", "text": "File a request"},
        "submit": {"type": "plain_text", "text": "Submit"},
        "blocks": [
            {
                "type": "input",
                "block_id": "subject",
                "label": {"type": "plain_text", "text": "Subject"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


def _root_blocks(subject: str) -> list[dict[str, Any]]:
    take = {"type": "button", "action_id": "take", "text": {"type": "plain_text", "text": "Take"}}
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{subject}*"}},
        {"type": "actions", "block_id": "root_actions", "elements": [take]},
    ]


def _build_app(client: WebClient) -> App:
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/kustomer-support")
    def command(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        if body["text"] == "help":
            respond(text="Here is how to file a request.")
            return
        client.views_open(trigger_id=body["trigger_id"], view=_filing_modal())

    @app.view("file_request")
    def submitted(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        subject = view["state"]["values"]["subject"]["value"]["value"]
        if len(subject) < 3:
            ack(response_action="errors", errors={"subject": "Too short"})
            return
        ack()
        client.chat_postMessage(
            channel="C_SUPPORT", text=f"New request: {subject}", blocks=_root_blocks(subject)
        )

    @app.action("take")
    def take(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"Taken by {body['user']['id']}",
        )

    @app.event("message")
    def message(event: dict[str, Any], client: WebClient) -> None:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="eyes")

    return app


class _BoltHandler(BaseHTTPRequestHandler):
    bolt: App

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        headers: dict[str, str | Sequence[str]] = dict(self.headers.items())
        response = self.bolt.dispatch(BoltRequest(body=body, headers=headers))
        payload = response.body.encode()
        self.send_response(response.status)
        for name, values in response.headers.items():
            for value in values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def driver(standin: SlackStandIn) -> Iterator[SlackDriver]:
    bolt = _build_app(WebClient(token=TOKEN, base_url=standin.base_url))
    handler = type("Handler", (_BoltHandler,), {"bolt": bolt})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield SlackDriver(
            base_url=f"http://127.0.0.1:{server.server_address[1]}/slack/events",
            signing_secret=SECRET,
            response_url_base=standin.response_url_base,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_app_construction_called_auth_test(standin: SlackStandIn, driver: SlackDriver) -> None:
    assert standin.calls_to("auth.test")


def test_file_a_request_end_to_end(standin: SlackStandIn, driver: SlackDriver) -> None:
    assert driver.slash_command(user_id="UADMIN").status == 200
    [opened] = standin.views_opened()
    assert check_view(_filing_modal()) == []

    short = SlackDriver.state("subject", "value", value="no")
    refused = driver.view_submission(user_id="UADMIN", view=opened, values=short)
    assert refused.json() == {"response_action": "errors", "errors": {"subject": "Too short"}}

    values = SlackDriver.state("subject", "value", value="Email is down")
    assert driver.view_submission(user_id="UADMIN", view=opened, values=values).status == 200
    [root] = standin.messages("C_SUPPORT")
    assert root["text"] == "New request: Email is down"
    assert check_message(root["blocks"], root["text"]) == []

    driver.block_action(user_id="UENG", action_id="take", message=root)
    [taken] = standin.messages("C_SUPPORT")
    assert taken["text"] == "Taken by UENG" and taken["blocks"] == root["blocks"]
    assert standin.calls_to("chat.update")[0].params["ts"] == root["ts"]


def test_respond_goes_to_the_standin_response_url(
    standin: SlackStandIn, driver: SlackDriver
) -> None:
    driver.slash_command(user_id="UADMIN", text="help")
    [response] = standin.responses()
    assert response["text"] == "Here is how to file a request."
    assert response["url"].startswith("/response/")


def test_message_event_and_bolt_signature_check(standin: SlackStandIn, driver: SlackDriver) -> None:
    ts = standin.add_message("C_SUPPORT", user="UADMIN", text="anyone?")
    assert (
        driver.message_event(channel_id="C_SUPPORT", user_id="UADMIN", text="anyone?", ts=ts).status
        == 200
    )
    assert standin.reactions("C_SUPPORT", ts) == ["eyes"]
    assert driver.url_verification("c-1").json() == {"challenge": "c-1"}
    tampered = driver.raw(
        b'{"type":"url_verification","challenge":"x"}', "application/json", signature="v0=00"
    )
    assert tampered.status == 401
