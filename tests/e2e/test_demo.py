"""The offline demo plays its whole scenario and shows the key events."""

from __future__ import annotations

import io

import pytest

from bot.devtools.demo import DemoOptions, run_demo


@pytest.mark.slow
def test_the_demo_plays_filing_on_call_split_breach_escalation_and_report() -> None:
    out = io.StringIO()

    code = run_demo(DemoOptions(speed=900, out=out))

    text = out.getvalue()
    print(text)  # shown by pytest when an assertion fails
    assert code == 0
    assert "@oncall *Critical* request" in text  # the on-call mention
    assert "Only visible to you".lower() in text.lower()  # the email route and the split note
    assert "Reporting dashboard shows no data" in text  # the second issue, split off
    assert "missed its first-response target" in text  # the weekend breach
    assert "#support-escalations" in text  # the escalation post
    assert "an update is due" in text  # the Critical update nudge
    assert "resolved this request" in text
    assert "== SLA report" in text and "Attainment" in text
