"""Modal submissions: the filing modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.requests import IntakeChannel, Priority
from bot.services.filing import RequestDraft, file_request
from bot.slack.deps import SlackDeps
from bot.slack.filing import confirm_filed
from bot.slack.filing_terms import filing_terms, home_team, user_team
from bot.slack.forms import FilingForm, FilingMetadata, parse_filing
from bot.slack.ids import Callback, Field
from bot.slack.shared_filing import after_filing, for_account
from bot.slack.text import truncate

log = logging.getLogger(__name__)

NAME_MAX = 80  # Slack's limit for display names


def register(app: App, deps: SlackDeps) -> None:
    """Listen for filing-modal submissions."""

    @app.view(Callback.FILE_REQUEST.value)
    def on_filing_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        metadata = FilingMetadata.loads(view.get("private_metadata") or "")
        user, view_id = _obj(body.get("user")), view.get("id")
        values = _obj(_obj(view.get("state")).get("values"))
        if not (user.get("id") and view_id):
            # Nobody to file for, or no view to key the filing by: Slack always sends both.
            log.warning("a filing submission without a person or a view id")
            ack()
            return
        # The email modal has no impact field, whatever its metadata claims.
        route = metadata.route if Field.IMPACT.value in values else IntakeChannel.EMAIL
        parsed = parse_filing(values, route=route)
        if isinstance(parsed, dict):
            ack(response_action="errors", errors=parsed)
            return
        ack()
        _file(deps, client, body, parsed, route=route, metadata=metadata, values=values)


def _file(
    deps: SlackDeps,
    client: WebClient,
    body: dict[str, Any],
    form: FilingForm,
    *,
    route: IntakeChannel,
    metadata: FilingMetadata,
    values: dict[str, Any],
) -> None:
    """After the ack: the policy decides the route, then the request is filed and confirmed."""
    user, view_id = _obj(body.get("user")), str(_obj(body.get("view")).get("id"))
    # Only our own modal sets the route, but never trust it over the policy (the account's,
    # for a customer's people); asking Slack who the person is waits until after the ack.
    terms = filing_terms(
        deps,
        user_id=user["id"],
        channel_id=metadata.origin_channel_id,
        user_team=user_team(body),
        home_team=home_team(body),
    )
    if route is IntakeChannel.CHAT and not terms.chat:
        route = IntakeChannel.EMAIL
    draft = _draft(form, route=route, team_id=_team_id(body), user=user)
    filing = for_account(
        deps, client, draft, terms=terms, metadata=metadata, values=values, view_id=view_id
    )
    filed = file_request(deps.desk, draft=filing.draft, delivery_key=f"view:{view_id}")
    if filed.duplicate:
        log.info("repeated submission of view %s ignored", view_id)
        return
    after_filing(deps, client, filing, filed.request, terms=terms, submitter=user["id"])
    confirm_filed(deps, client, filed.request, requester_id=user["id"], metadata=metadata)


def _draft(
    form: FilingForm, *, route: IntakeChannel, team_id: str, user: dict[str, Any]
) -> RequestDraft:
    return RequestDraft(
        team_id=team_id,
        requester_id=user["id"],
        # Slack's names are short; a crafted one must not outgrow the column that keeps it.
        requester_name=truncate(str(user.get("name") or user.get("username") or ""), NAME_MAX),
        subject=form.subject,
        description=form.description,
        priority=form.priority if route is IntakeChannel.CHAT else Priority.MEDIUM,
        intake_channel=route,
        area=form.area,
        contact=form.contact,
        project=form.project,
        kind=form.kind,
        incident_id=form.incident_id,
    )


def _team_id(body: dict[str, Any]) -> str:
    team = _obj(body.get("team"))
    return str(team.get("id") or _obj(body.get("user")).get("team_id") or "")


def _obj(value: Any) -> dict[str, Any]:
    """A payload object, or {} where Slack left it out (or sent an id instead)."""
    return value if isinstance(value, dict) else {}
