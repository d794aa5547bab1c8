"""Make user text safe to repost: nothing a customer types can ping anyone."""

from __future__ import annotations

import re

from pendulum import DateTime

# Slack's special tokens: <!channel>, <!here>, <!everyone>, <!subteam^S123|@team>, <@U123>,
# <#C123>, <!date^...>, links <http://...|label>.
_TOKEN = re.compile(r"<([!@#][^>]*)>")


def escape(text: str) -> str:
    """Escape raw user text (modal input) for mrkdwn: & < > become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def neutralise(text: str) -> str:
    """Defuse the special tokens in text Slack already escaped (message events)."""
    return _TOKEN.sub(lambda match: "&lt;" + match.group(1) + "&gt;", text)


def unescape(text: str) -> str:
    """Turn Slack-escaped message text back into what the person typed (for prefills)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date_token(instant: DateTime, *, style: str = "{date_short_pretty} at {time}") -> str:
    """A Slack date token: each reader sees the instant in their own timezone."""
    fallback = instant.in_timezone("UTC").format("YYYY-MM-DD HH:mm [UTC]")
    return f"<!date^{int(instant.timestamp())}^{style}|{fallback}>"


def mention_user(user_id: str) -> str:
    return f"<@{user_id}>"


def mention_group(group_id: str) -> str:
    return f"<!subteam^{group_id}>"
