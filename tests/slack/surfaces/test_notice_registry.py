"""Every timer kind is declared once and rendered: the registry has no gaps."""

from __future__ import annotations

import pytest

from bot.devtools.limits import check_message
from bot.domain.due_timers import Notice
from bot.domain.timer_kinds import TIMER_SPECS, TimerKind, Where
from bot.slack.surfaces.notices import (
    ESCALATION_REASONS,
    RENDERERS,
    NoticeContext,
    digest_line,
    render_notice,
)
from tests.slack.surfaces.surface_checks import NOW, make_request

SAID_IN_CONVERSATION = [k for k, spec in TIMER_SPECS.items() if spec.where is Where.CONVERSATION]


def test_every_kind_has_a_spec() -> None:
    assert set(TIMER_SPECS) == set(TimerKind)


def test_every_conversation_kind_has_a_renderer_and_every_escalation_a_reason() -> None:
    assert set(RENDERERS) == set(SAID_IN_CONVERSATION)
    escalations = {k for k, s in TIMER_SPECS.items() if s.where is Where.ESCALATION_CHANNEL}
    assert set(ESCALATION_REASONS) == escalations


@pytest.mark.parametrize("kind", SAID_IN_CONVERSATION)
def test_each_kind_renders_within_slack_limits(kind: TimerKind) -> None:
    notice = Notice(kind, make_request(), (1,), NOW.add(hours=1), 0.5)
    context = NoticeContext(mention="<!subteam^S0SUPPORT>", left="30 min")

    message = render_notice(notice, context)

    assert check_message(message.blocks, message.text) == []
    assert "KS-1042" in message.text
    assert digest_line(notice, context, permalink=None).strip()
