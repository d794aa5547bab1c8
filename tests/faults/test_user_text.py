"""User text is stored as given and escaped only when rendered (PRODUCT §8).

A modal's plain-text inputs reach the app unescaped. The request's row keeps the words as
the person typed them (so reports, exports and later edits see them as written); every
message that shows them escapes `&`, `<` and `>`, so nothing can ping @channel.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text

from bot.devtools.harness import Harness
from tests.e2e.flows import file
from tests.faults.conftest import WorldFactory

SUBJECT = "Widget down <!channel> & <b>bold</b> > 5 < 6"
DESCRIPTION = "Since 09:00 <!here> <@U0CARL> <!subteam^S0SUPPORT> & co: a < b > c &amp; d"
ESCAPED_SUBJECT = "Widget down &lt;!channel&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &gt; 5 &lt; 6"


@pytest.fixture
def world(make_world: WorldFactory, database: str, app_log: io.StringIO) -> Harness:
    return make_world(database, channel_pace_seconds=0)


def test_text_is_stored_verbatim_and_escaped_in_what_slack_shows(world: Harness) -> None:
    root = file(world, world.cast.admin, subject=SUBJECT, description=DESCRIPTION)

    with world.runtime.desk.db.session() as session:
        row = session.connection().execute(
            text("SELECT subject, description FROM support_requests")
        )
        [(subject, description)] = row.all()
    assert (subject, description) == (SUBJECT, DESCRIPTION)

    posted = [
        call.params
        for call in world.standin.calls
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral")
    ]
    shown = json.dumps([{"text": p.get("text"), "blocks": p.get("blocks")} for p in posted])
    assert ESCAPED_SUBJECT in json.dumps(root["blocks"]) or ESCAPED_SUBJECT in root["text"]
    for raw in ("<!channel>", "<!here>", "<@U0CARL>", "<!subteam^S0SUPPORT>", "<b>", "a < b"):
        assert raw not in shown, raw
    assert "&amp;amp; d" in shown  # an ampersand the person typed is escaped, once
