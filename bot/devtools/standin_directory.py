"""Stand-in methods about identity and people: auth, users, user groups, bots."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import real_time
from bot.devtools.standin_common import Handler, Params, error, ok, text_param
from bot.devtools.standin_state import STANDIN_HOST, Workspace

APP_ID = "A0STANDIN"


def make_user(
    user_id: str,
    *,
    name: str,
    team_id: str,
    is_admin: bool = False,
    is_owner: bool = False,
    is_primary_owner: bool = False,
    is_bot: bool = False,
    tz: str = "America/New_York",
    email: str | None = None,
    real_name: str | None = None,
) -> dict[str, Any]:
    """A user record; users.info adds the time-dependent tz fields when asked."""
    ZoneInfo(tz)  # fail at setup, not in the middle of a test, on a bad zone name
    display = real_name or name
    profile: dict[str, Any] = {"display_name": name, "real_name": display}
    if email is not None:
        profile["email"] = email
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "real_name": display,
        "deleted": False,
        "is_admin": is_admin,
        "is_owner": is_owner,
        "is_primary_owner": is_primary_owner,
        "is_bot": is_bot,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "tz": tz,
        "profile": profile,
    }


# Fields of a user object that speak of the calling workspace's roles.
_HOME_ROLES = ("is_admin", "is_owner", "is_primary_owner")


def is_external(ws: Workspace, user: dict[str, Any]) -> bool:
    """Whether a user record belongs to another organisation than the installing workspace."""
    return str(user.get("team_id") or ws.team_id) != ws.team_id


def shares_a_channel(ws: Workspace, team_id: str) -> bool:
    """Whether a channel visible to the app is shared with this team."""
    return any(team_id in channel.get("shared_team_ids", ()) for channel in ws.channels.values())


def external_view(ws: Workspace, user: dict[str, Any]) -> dict[str, Any]:
    """A user of another organisation as users.info shows them to this workspace's app."""
    shown = {**user, **dict.fromkeys(_HOME_ROLES, False)}
    shown["profile"] = {**user["profile"], "team": user["team_id"]}
    if not shares_a_channel(ws, str(user["team_id"])):
        shown["is_stranger"] = True
    return shown


def with_tz_fields(user: dict[str, Any]) -> dict[str, Any]:
    """The user as Slack shows it now: tz_offset and tz_label follow daylight saving."""
    local = datetime.fromtimestamp(real_time(), ZoneInfo(user["tz"]))
    offset = local.utcoffset()
    return {
        **user,
        "tz_offset": int(offset.total_seconds()) if offset else 0,
        "tz_label": local.tzname() or user["tz"],
    }


def _as_seen(ws: Workspace, user: dict[str, Any]) -> dict[str, Any]:
    """A user as this workspace's app sees them (Slack Connect: limited to what Slack shows)."""
    return external_view(ws, user) if is_external(ws, user) else user


def auth_test(ws: Workspace, params: Params) -> dict[str, Any]:
    """auth.test: who the token belongs to."""
    bot = ws.users.get(ws.bot_user_id, {})
    return ok(
        url=f"https://{STANDIN_HOST}/",
        team="Stand-in Workspace",
        user=bot.get("name", "bot"),
        team_id=ws.team_id,
        user_id=ws.bot_user_id,
        bot_id=ws.bot_id,
        is_enterprise_install=False,
    )


def users_info(ws: Workspace, params: Params) -> dict[str, Any]:
    """users.info: one user, with a tz_offset correct for today."""
    user = ws.users.get(text_param(params, "user") or "")
    if user is None:
        return error("user_not_found")
    return ok(user=with_tz_fields(_as_seen(ws, user)))


def users_lookup_by_email(ws: Workspace, params: Params) -> dict[str, Any]:
    """users.lookupByEmail: the user whose profile has this email."""
    email = (text_param(params, "email") or "").lower()
    for user in ws.users.values():
        if user["profile"].get("email", "").lower() == email:
            return ok(user=with_tz_fields(_as_seen(ws, user)))
    return error("users_not_found")


def usergroups_users_list(ws: Workspace, params: Params) -> dict[str, Any]:
    """usergroups.users.list: the members of one user group."""
    group = ws.usergroups.get(text_param(params, "usergroup") or "")
    if group is None:
        return error("no_such_subteam")
    return ok(users=list(group["users"]))


def usergroups_list(ws: Workspace, params: Params) -> dict[str, Any]:
    """usergroups.list: every group, with members when include_users is set."""
    include = str(params.get("include_users", "")).lower() in ("1", "true")
    groups = []
    for group in ws.usergroups.values():
        shown = {**group, "user_count": len(group["users"])}
        if not include:
            shown.pop("users")
        groups.append(shown)
    return ok(usergroups=groups)


def bots_info(ws: Workspace, params: Params) -> dict[str, Any]:
    """bots.info: the app's own bot."""
    if text_param(params, "bot") not in (None, ws.bot_id):
        return error("bot_not_found")
    return ok(bot={"id": ws.bot_id, "app_id": APP_ID, "user_id": ws.bot_user_id, "name": "bot"})


def api_test(ws: Workspace, params: Params) -> dict[str, Any]:
    """api.test: echo the arguments."""
    return ok(args=dict(params))


METHODS: dict[str, Handler] = {
    "api.test": api_test,
    "auth.test": auth_test,
    "bots.info": bots_info,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "usergroups.list": usergroups_list,
    "usergroups.users.list": usergroups_users_list,
}
