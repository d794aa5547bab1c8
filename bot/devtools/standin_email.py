"""Slack's email-to-channel posts: a message from the email integration carrying an email file.

Modelled on the message events Slack sends for a forwarded email: the message comes from
Slackbot on behalf of the email integration (`user` USLACKBOT, a `bot_id`, `upload`,
`display_as_bot`), usually with subtype `file_share` and an empty `text`, and `files`
holds one file with `filetype`/`mode` "email", `subject`, `from`/`to`/`cc` as
`[{address, name, original}]`, `plain_text`, `preview`, `preview_plain_text`,
`has_more` and `headers`. Only fields Slack shows in those payloads are used.
"""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

from bot.devtools.standin_state import STANDIN_HOST, Workspace, resolve_channel

EMAIL_USER = "USLACKBOT"
EMAIL_BOT_ID = "B0EMAIL"
# How much of the body the stand-in's previews show (Slack does not document its length).
PREVIEW_CHARS = 300
Address = tuple[str, str]  # (address, display name)


def address_entry(address: str, name: str = "") -> dict[str, str]:
    """One entry of `from`, `to` or `cc`."""
    return {"address": address, "name": name, "original": f"{name} <{address}>".strip()}


def email_file(
    ws: Workspace,
    *,
    subject: str | None,
    sender: Address | None,
    plain_text: str | None,
    to: Address = ("support@kustomer.example", "Support"),
    cc: tuple[Address, ...] = (),
) -> dict[str, Any]:
    """The email file object; a None subject, sender or text leaves that field out."""
    file_id = ws.next_id("F")
    created = int(float(ws.next_ts()))
    file: dict[str, Any] = {
        "id": file_id,
        "created": created,
        "timestamp": created,
        "name": subject or "email",
        "title": subject or "email",
        "user_team": ws.team_id,
        "size": len((plain_text or "").encode()),
        **_unchanging_fields(),
        **_links(ws, file_id),
        "to": [address_entry(*to)],
        "cc": [address_entry(*entry) for entry in cc],
        "headers": {
            "date": formatdate(created),
            "in_reply_to": None,
            "reply_to": None,
            "message_id": f"<{file_id}@{STANDIN_HOST}>",
        },
    }
    if subject is not None:
        file["subject"] = subject
    if sender is not None:
        file["from"] = [address_entry(*sender)]
    if plain_text is not None:
        preview = plain_text[:PREVIEW_CHARS]
        file.update(plain_text=plain_text, preview=preview, preview_plain_text=preview)
        file["has_more"] = len(plain_text) > PREVIEW_CHARS
    return file


def _unchanging_fields() -> dict[str, Any]:
    """What every email file says the same way."""
    return {
        "mimetype": "text/html",
        "filetype": "email",
        "pretty_type": "Email",
        "user": EMAIL_USER,
        "editable": True,
        "mode": "email",
        "is_external": False,
        "external_type": "",
        "is_public": True,
        "public_url_shared": False,
        "display_as_bot": True,
        "username": "Email",
        "attachments": [],
        "original_attachment_count": 0,
        "sent_to_self": False,
        "bot_id": EMAIL_BOT_ID,
        "has_rich_preview": False,
        "file_access": "visible",
    }


def _links(ws: Workspace, file_id: str) -> dict[str, str]:
    url = f"https://files.{STANDIN_HOST}/files-pri/{ws.team_id}-{file_id}/email"
    return {
        "url_private": url,
        "url_private_download": f"{url}?download=1",
        "permalink": f"https://{STANDIN_HOST}/files/{EMAIL_USER}/{file_id}/email",
    }


def post_email(
    ws: Workspace,
    channel_id: str,
    *,
    file: dict[str, Any] | None = None,
    text: str = "",
    subtype: str | None = "file_share",
) -> dict[str, Any]:
    """Store the integration's message carrying `file` (any shape) in a channel; return it."""
    channel = ws.channel(resolve_channel(channel_id))
    message: dict[str, Any] = {
        "type": "message",
        "channel": channel["id"],
        "ts": ws.next_ts(),
        "thread_ts": None,
        "text": text,
        "files": [file] if file is not None else None,
        "upload": True,
        "user": EMAIL_USER,
        "display_as_bot": True,
        "bot_id": EMAIL_BOT_ID,
        "subtype": subtype,
        "team": ws.team_id,
    }
    ws.store_message(message)
    return message
