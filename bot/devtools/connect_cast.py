"""A customer organisation reaching the vendor's desk through a Slack Connect channel."""

from __future__ import annotations

from dataclasses import dataclass

from bot.devtools.standin import SlackStandIn


@dataclass(frozen=True)
class CustomerOrg:
    """A customer's Slack team, two of its people and the channel it shares with the vendor.

    Slack does not say who administers another organisation (users.info reports their roles
    in the vendor's workspace: none): `admin` is whom the desk records as the account's
    administrator (`accounts add --admin`); `member` is anybody else of theirs.
    """

    name: str
    team_id: str
    channel: str
    admin: str
    member: str


def add_customer_org(
    standin: SlackStandIn,
    *,
    name: str = "acme",
    team_id: str = "T0ACME",
    channel: str = "C0ACME",
    admin: str = "U0ACMEADA",
    member: str = "U0ACMEBOB",
) -> CustomerOrg:
    """Add a customer's two people and a channel shared with their team (the bot is in it)."""
    standin.add_external_user(admin, team_id=team_id, name=f"{name}-admin")
    standin.add_external_user(member, team_id=team_id, name=f"{name}-member")
    standin.add_channel(channel, f"ext-{name}-support", shared_with=(team_id,))
    return CustomerOrg(name=name, team_id=team_id, channel=channel, admin=admin, member=member)
