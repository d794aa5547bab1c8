"""Every Slack callback_id, action_id and block_id the app uses, in one place."""

from __future__ import annotations

from enum import StrEnum

COMMAND = "/kustomer-support"


class Callback(StrEnum):
    """Modal callback ids."""

    FILE_REQUEST = "file_request"


class Action(StrEnum):
    """Interactive element action ids."""

    TAKE = "take_request"
    CHANGE_PRIORITY = "change_priority"
    WAIT_ON_CUSTOMER = "wait_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    ESCALATE_DEVELOPMENT = "escalate_development"
    ESCALATE_LEADERSHIP = "escalate_leadership"
    RESOLVE = "resolve_request"
    REPORT_ANOTHER = "report_another_issue"
    OPEN_FILING = "open_filing"
    OPEN_EMAIL_FILING = "open_email_filing"
    OPEN_CONVERSATION = "open_conversation"
    HOME_REFRESH = "home_refresh"
    # Slack Connect intake (§11): an impact picked on a prompt ("<prompt id>:<priority>"),
    # and the filing modal from a prompt ("prompt:<id>") or the pinned help message ("pin").
    PICK_IMPACT = "shared_pick_impact"
    FILE_WITH_DETAILS = "shared_file_details"


class Field(StrEnum):
    """Filing-modal input blocks; each input's action_id is the same string."""

    SUBJECT = "subject"
    DESCRIPTION = "description"
    IMPACT = "impact"
    AREA = "area"
    CONTACT = "contact"
    PROJECT = "project"
    KIND = "kind"
    ONE_ISSUE = "one_issue"
    INCIDENT = "incident"
    REQUESTER = "requester"  # staff filing on behalf of a customer account (§11)


class Block(StrEnum):
    """Non-input block ids that listeners or tests look up."""

    REQUEST_ACTIONS = "request_actions"
    REQUEST_SUMMARY = "request_summary"
    FILING_NOTE = "filing_note"
    SHARED_PROMPT = "shared_prompt"
    HELP_PIN = "shared_help"
