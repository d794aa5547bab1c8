"""The desk: everything a use case needs, handed in once instead of read from globals."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.db.engine import Database
from bot.domain.requests import Priority
from bot.domain.sla import SlaPolicy
from bot.services.ports import Directory, Messenger
from bot.services.status_ports import OutageBoard


@dataclass(frozen=True)
class Routing:
    """Which channels and user groups the desk works with."""

    support_channel_id: str
    oncall_channel_id: str
    escalation_channel_id: str
    support_group_id: str
    oncall_group_id: str
    email_intake_channel_id: str | None = None

    def channel_for(self, priority: Priority) -> str:
        """Critical requests go to the 24/7 on-call channel, the rest to support."""
        if priority is Priority.CRITICAL:
            return self.oncall_channel_id
        return self.support_channel_id

    def group_for(self, priority: Priority) -> str:
        """The group pinged when nobody has taken a request."""
        if priority is Priority.CRITICAL:
            return self.oncall_group_id
        return self.support_group_id


@dataclass(frozen=True)
class Records:
    """The desk's records and rules without Slack: enough to read it (Homes, reports)."""

    db: Database
    clock: Clock
    policy: SlaPolicy
    directory: Directory
    vendor_status: bool = False  # STATUS_PAGE_URL is set: show the vendor's incidents


@dataclass(frozen=True)
class Desk:
    """The support desk's collaborators: database, clock, policy, routing and Slack ports."""

    db: Database
    clock: Clock
    policy: SlaPolicy
    routing: Routing
    messenger: Messenger
    directory: Directory
    # Set while STATUS_PAGE_URL is: vendor incidents shape filing, paging and notes.
    outages: OutageBoard | None = None

    @property
    def vendor_status(self) -> bool:
        return self.outages is not None

    @property
    def records(self) -> Records:
        return Records(self.db, self.clock, self.policy, self.directory, self.vendor_status)
