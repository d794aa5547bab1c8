"""Requests during a vendor outage: which incident a request is about, and who pages on-call.

A requester names the part of Kustomer that is affected (`AffectedArea`); the vendor's
status page names components ("Channel - Email", "Knowledge base", "Kustomer Voice"). An
area matches a component whose name holds the area's words, case-insensitively.

While an incident is active, Critical requests about it page on-call once: the first one's
root message mentions the on-call group, later ones are added to the incident's summary
message instead. Each keeps its own conversation, clocks, pings and breach.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pendulum import DateTime

from bot.domain.incident_sync import Announcement
from bot.domain.incidents import Incident, is_active
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import AffectedArea

# The words of each area as a status page names its components; "AI features" also
# matches the AI vendors a status page lists as third-party components.
AREA_TERMS: Mapping[AffectedArea, tuple[str, ...]] = {
    AffectedArea.EMAIL: ("email",),
    AffectedArea.CHAT: ("chat",),
    AffectedArea.VOICE: ("voice",),
    AffectedArea.KNOWLEDGE_BASE: ("knowledge base",),
    AffectedArea.AI_FEATURES: ("ai features", "ai", "openai"),
    AffectedArea.API: ("api",),
    AffectedArea.OTHER: (),
}
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def component_matches(component: str, area: AffectedArea) -> bool:
    """Whether a status-page component is (part of) this area: its words hold the area's."""
    words = _words(component)
    for term in AREA_TERMS.get(area, ()):
        wanted = _words(term)
        span = len(wanted)
        if any(words[i : i + span] == wanted for i in range(len(words) - span + 1)):
            return True
    return False


def affects(incident: Incident, area: AffectedArea) -> bool:
    """Whether the incident names a component of this area."""
    return any(component_matches(component, area) for component in incident.components)


def suggested_incident(area: AffectedArea | None, incidents: Sequence[Incident]) -> Incident | None:
    """The active incident to suggest for a request about `area`: the newest that affects it."""
    if area is None:
        return None
    matching = [i for i in incidents if is_active(i) and affects(i, area)]
    return max(matching, key=lambda i: (i.created_at, i.id), default=None)


def outage_of(request: Request, incidents: Sequence[Incident]) -> Incident | None:
    """The active incident an open Critical request belongs to, for paging.

    Its linked incident while that is active; else the incident suggested for its area.
    """
    if not (request.is_critical and request.is_open):
        return None
    active = [incident for incident in incidents if is_active(incident)]
    linked = next((i for i in active if i.id == request.incident_id), None)
    return linked or suggested_incident(request.area, active)


@dataclass(frozen=True)
class OutagePage:
    """An incident's one page of on-call: the request whose root message paged."""

    incident_id: str
    request_id: int


@dataclass(frozen=True)
class PageDecision:
    """What a request's root does about on-call: `incident` is the outage it is part of."""

    mention: bool
    incident: Incident | None = None


def page_decision(
    request: Request, incidents: Sequence[Incident], pages: Mapping[str, OutagePage]
) -> PageDecision:
    """Should this request's root mention the on-call group?

    A Critical request outside any outage pages as always. Within one, only the first
    request (the incident's page, or none yet) pages; later ones join the summary.
    """
    if not request.is_critical:
        return PageDecision(mention=False)
    outage = outage_of(request, incidents)
    if outage is None:
        return PageDecision(mention=True)
    page = pages.get(outage.id)
    first = page is None or page.request_id == request.id
    return PageDecision(mention=first, incident=outage)


@dataclass(frozen=True)
class OutageMember:
    """A Critical request filed during an outage; `paged` when its root paged on-call."""

    request: Request
    paged: bool


def mentions_oncall(request: Request, paged: bool | None) -> bool:
    """Whether the request's root mentions on-call: Critical, and its page not merged.

    `paged` is what was decided when its root was owed (`page_decision`); None outside
    any outage.
    """
    return request.is_critical and paged is not False


@dataclass(frozen=True)
class OutageSummary:
    """The on-call channel's one message about an outage: its incident and its requests."""

    incident: Incident
    members: tuple[OutageMember, ...]  # oldest first

    @property
    def requests(self) -> tuple[Request, ...]:
        return tuple(member.request for member in self.members)

    @property
    def requesters(self) -> tuple[str, ...]:
        """Who filed them, each once, in filing order."""
        return tuple(dict.fromkeys(request.requester_id for request in self.requests))

    @property
    def still_open(self) -> tuple[Request, ...]:
        return tuple(request for request in self.requests if request.is_open)

    @property
    def paged(self) -> Request | None:
        """The request whose root paged on-call for this outage."""
        return next((member.request for member in self.members if member.paged), None)

    @property
    def oldest_due(self) -> DateTime | None:
        """The earliest first-response due of the open requests still unanswered."""
        waiting = [r.first_response_due_at for r in self.still_open if r.first_responded_at is None]
        return min(waiting, default=None)


@dataclass(frozen=True)
class ShownSummary:
    """An outage's summary as the desk holds it: what it says, and where it is in Slack."""

    summary: OutageSummary
    state: Announcement
    version: int  # what the summary says now; the message shows `shown_version`
    shown_version: int
    message: ConversationRef | None = None
    attempts: int = 0

    @property
    def stale(self) -> bool:
        return self.state is Announcement.POSTED and self.version > self.shown_version


@dataclass(frozen=True)
class OwedNote:
    """A linked request's conversation is owed the news that its incident resolved."""

    id: int
    request: Request
    incident: Incident
    attempts: int = 0
