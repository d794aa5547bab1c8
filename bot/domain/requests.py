"""What a support request is: its impact, intake channel, kind, contact and status."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    """Business impact chosen by the requester (or Medium for email)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(Priority).index(self)

    @property
    def is_critical(self) -> bool:
        return self is Priority.CRITICAL


class IntakeChannel(StrEnum):
    """How the request reached the desk."""

    CHAT = "chat"
    EMAIL = "email"


class RequestKind(StrEnum):
    PROBLEM = "problem"
    TRAINING = "training"

    @property
    def label(self) -> str:
        return {"problem": "Problem report", "training": "Ad-hoc training"}[self.value]


class ContactPreference(StrEnum):
    """How the requester wants the desk to work with them."""

    THREAD = "thread"
    EMAIL = "email"
    VIDEO = "video"

    @property
    def label(self) -> str:
        return {
            "thread": "In this Slack thread",
            "email": "By email",
            "video": "Video call with screen sharing",
        }[self.value]


class AffectedArea(StrEnum):
    """The product components named in the vendor's status page."""

    EMAIL = "email"
    CHAT = "chat"
    VOICE = "voice"
    KNOWLEDGE_BASE = "knowledge_base"
    AI_FEATURES = "ai_features"
    API = "api"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "email": "Email",
            "chat": "Chat",
            "voice": "Voice",
            "knowledge_base": "Knowledge Base",
            "ai_features": "AI features",
            "api": "API",
            "other": "Other",
        }[self.value]


class RequestStatus(StrEnum):
    """Where a request stands in its life."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    ESCALATED_TO_DEVELOPMENT = "escalated_to_development"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return {
            "new": "New",
            "in_progress": "In progress",
            "waiting_on_customer": "Waiting on customer",
            "escalated_to_development": "Escalated to Development",
            "resolved": "Resolved",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self is not RequestStatus.RESOLVED
