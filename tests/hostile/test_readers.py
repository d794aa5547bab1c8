"""The pure readers behind the endpoint, under the same hostile input (fast: no world).

Each reader answers with a value or "unreadable", never with an exception; what the app
writes back from them stays within Slack's limits and holds no live token.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.requests import IntakeChannel
from bot.slack.forms import (
    DESCRIPTION_MAX,
    PREFILL_VALUE_MAX,
    SUBJECT_MAX,
    FilingForm,
    FilingMetadata,
    parse_filing,
    parse_priority_option,
    parse_request_id,
    prefill_value,
    read_origin,
    read_prefill,
)
from bot.slack.ids import Field
from bot.slack.payload_shapes import shape_problem
from tests.hostile import payloads, strategies
from tests.hostile.checks import LIVE


@given(payloads.state_values(wild=True), st.sampled_from(IntakeChannel))
def test_a_filing_form_is_read_or_gets_inline_errors(values: Any, route: IntakeChannel) -> None:
    parsed = parse_filing(values, route=route)

    if isinstance(parsed, FilingForm):
        assert 0 < len(parsed.subject) <= SUBJECT_MAX
        assert 0 < len(parsed.description) <= DESCRIPTION_MAX
    else:
        fields = {f.value for f in Field}
        assert parsed and set(parsed) <= fields
        assert all(0 < len(message) <= 2000 for message in parsed.values())


@given(payloads.metadata(wild=True))
def test_private_metadata_is_read_or_forgotten(text: Any) -> None:
    metadata = FilingMetadata.loads(text)

    assert len(metadata.dumps()) <= 3000
    assert FilingMetadata.loads(metadata.dumps()) == metadata


@given(strategies.junk())
def test_button_values_are_read_or_refused(value: Any) -> None:
    text = value if isinstance(value, str) else json.dumps(value)

    assert isinstance(read_prefill(text), str)
    origin = read_origin(text)
    assert origin is None or all(isinstance(part, str) for part in origin)
    parse_priority_option(text)
    request_id = parse_request_id(text)
    assert request_id is None or 0 <= request_id < 10**18


@given(strategies.text(), st.one_of(st.none(), st.just(("C0SUPPORT", "1700000000.000100"))))
def test_a_prefill_button_carries_the_words_safely(words: str, origin: Any) -> None:
    value = prefill_value(words, origin=origin)

    assert len(value) <= PREFILL_VALUE_MAX
    assert not LIVE.findall(value) and "<" not in value
    carried = read_prefill(value)
    assert carried == words or words.startswith(carried.removesuffix("…"))
    assert read_origin(value) == origin


ROOT = {"channel": "C0SUPPORT", "ts": "1700000000.000100"}
MODAL = {"type": "modal", "callback_id": "file_request", "private_metadata": "", "blocks": []}
PAYLOADS = st.one_of(
    payloads.submissions(MODAL),
    payloads.block_actions(1, ROOT),
    payloads.message_events(ROOT),
    payloads.command_fields(as_text=False),
    st.dictionaries(st.text(max_size=12), strategies.junk(), max_size=4),
)


@given(PAYLOADS)
def test_payload_shapes_judge_anything(payload: dict[str, Any]) -> None:
    problem = shape_problem(payload)

    assert problem is None or (isinstance(problem, str) and len(problem) <= 200)
