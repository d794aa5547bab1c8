"""Who people are, asked of Slack and remembered for a minute."""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock, real_time

log = logging.getLogger(__name__)

# Real seconds, whatever the desk's clock does: the cache spares Slack's rate limits
# (usergroups.users.list is Tier 2, about 20 calls a minute), which run on real time.
CACHE_SECONDS = 60.0


class SlackDirectory:
    """Answers 'is this a support engineer / a chat admin?' from users.info and user groups."""

    def __init__(
        self,
        *,
        client: WebClient,
        clock: Clock,
        support_group_id: str,
        oncall_group_id: str | None = None,
        chat_admin_group_id: str | None = None,
    ) -> None:
        self._client = client
        self._clock = clock
        self._support_group_id = support_group_id
        self._oncall_group_id = oncall_group_id
        self._chat_admin_group_id = chat_admin_group_id
        self._lock = threading.Lock()
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._admins: dict[str, tuple[float, bool]] = {}

    def is_support_engineer(self, user_id: str) -> bool:
        return user_id in self.group_members(self._support_group_id)

    def is_desk_member(self, user_id: str) -> bool:
        """In the support group, or in the on-call group (on-call is part of the desk)."""
        if self.is_support_engineer(user_id):
            return True
        return bool(self._oncall_group_id) and user_id in self.group_members(
            self._oncall_group_id or ""
        )

    def is_chat_admin(self, user_id: str) -> bool:
        """Owners and admins of the workspace, or members of the chat-admin group."""
        if self._chat_admin_group_id and user_id in self.group_members(self._chat_admin_group_id):
            return True
        now = real_time()
        with self._lock:
            cached = self._admins.get(user_id)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        user = self._client.users_info(user=user_id)["user"]
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        with self._lock:
            self._admins[user_id] = (now, admin)
        return admin

    def group_members(self, group_id: str) -> frozenset[str]:
        """Members of a user group, refreshed at most once a minute."""
        now = real_time()
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            users = self._client.usergroups_users_list(usergroup=group_id)["users"]
        except SlackApiError:
            if cached:
                log.warning("could not refresh user group %s; using the last list", group_id)
                return cached[1]
            raise
        members = frozenset(users)
        with self._lock:
            self._groups[group_id] = (now, members)
        return members
