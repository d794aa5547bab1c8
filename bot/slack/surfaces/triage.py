"""The triage card's lines about the customer: their account and their own thread (§11)."""

from __future__ import annotations

from bot.domain.accounts import Account
from bot.domain.model import Request
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import user_text

ACCOUNT_LIMIT = 200


def account_label(account: Account) -> str:
    """ "Acme (Enterprise)": the account's name, escaped, and its plan tier."""
    return f"{user_text(account.name, ACCOUNT_LIMIT)} ({account.tier.label})"


def customer_thread_line(request: Request, *, link: str | None) -> str | None:
    """Where the customer follows the request: a link to their thread, else the channel.

    Replies on the card stay internal; the customer reads only their thread.
    """
    if request.customer_thread is None:
        return None
    channel = labels.channel_ref(request.customer_channel_id) or "their shared channel"
    if link and link.startswith("https://"):
        where = f"<{link}|the customer's thread> in {channel}"
    else:
        where = f"the customer's thread in {channel}"
    return (
        f":busts_in_silhouette: The customer follows this request in {where}: answer there. "
        "Replies here stay internal."
    )
