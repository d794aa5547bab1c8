"""A fake of the SharedChannels port: every call kept, failures on demand."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.domain.model import Request
from bot.domain.shared_prompts import PromptOffer, SharedPrompt
from bot.services.ports import DeliveryFailed

_TS = itertools.count(1)


def _ts() -> str:
    return f"1800000000.{next(_TS):06d}"


@dataclass
class FakeSharedChannels:
    """Records prompts, answers, closings, help posts, pins and notices."""

    prompts: list[tuple[SharedPrompt, PromptOffer]] = field(default_factory=list)
    answers: list[tuple[SharedPrompt, Request]] = field(default_factory=list)
    closed: list[SharedPrompt] = field(default_factory=list)
    helps: list[tuple[str, str]] = field(default_factory=list)
    pins: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str | None]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)  # method names that raise DeliveryFailed

    def offer_impacts(self, prompt: SharedPrompt, offer: PromptOffer) -> str:
        self._maybe_fail("offer_impacts")
        self.prompts.append((prompt, offer))
        return _ts()

    def tell_filed(self, prompt: SharedPrompt, request: Request, offer: PromptOffer) -> str:
        self._maybe_fail("tell_filed")
        self.answers.append((prompt, request))
        return prompt.prompt_ts or _ts()

    def close_prompt(self, prompt: SharedPrompt) -> None:
        self._maybe_fail("close_prompt")
        self.closed.append(prompt)

    def post_help(self, channel_id: str) -> str:
        self._maybe_fail("post_help")
        ts = _ts()
        self.helps.append((channel_id, ts))
        return ts

    def pin(self, channel_id: str, message_ts: str) -> None:
        self._maybe_fail("pin")
        self.pins.append((channel_id, message_ts))

    def notice_unmapped(self, channel_id: str, team_id: str | None) -> None:
        self._maybe_fail("notice_unmapped")
        self.notices.append((channel_id, team_id))

    def _maybe_fail(self, method: str) -> None:
        if method in self.failing:
            raise DeliveryFailed(f"{method}: not_in_channel", permanent=True)
