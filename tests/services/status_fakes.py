"""A fake support channel for the status use cases, and a status page to poll."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from bot.domain.incidents import Incident, IncidentUpdate
from bot.domain.model import ConversationRef
from bot.services.ports import DeliveryFailed

CHANNEL = "C0SUPPORT"


@dataclass
class FakeChannel:
    """Records every post and edit; can be told to fail the next calls or to be slow."""

    posts: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, incident, status)
    shown: dict[str, Incident] = field(default_factory=dict)  # announcement ts -> incident
    fail_next: list[DeliveryFailed] = field(default_factory=list)
    delay: float = 0.0
    _serial: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def announce(self, incident: Incident) -> ConversationRef:
        ts = self._post("announce", incident, incident.status)
        self.shown[ts] = incident
        return ConversationRef(CHANNEL, ts)

    def refresh(self, incident: Incident, message: ConversationRef) -> None:
        self._post("refresh", incident, incident.status)
        self.shown[message.ts] = incident

    def reply(self, incident: Incident, update: IncidentUpdate, message: ConversationRef) -> str:
        assert message.ts in self.shown, "a reply needs its announcement"
        return self._post("reply", incident, update.status)

    def kinds(self, kind: str) -> list[tuple[str, str]]:
        return [(incident, status) for k, incident, status in self.posts if k == kind]

    def _post(self, kind: str, incident: Incident, status: str) -> str:
        if self.delay:
            threading.Event().wait(self.delay)
        with self._lock:
            if self.fail_next:
                raise self.fail_next.pop(0)
            self._serial += 1
            self.posts.append((kind, incident.id, status))
            return f"1700000000.{self._serial:06d}"
