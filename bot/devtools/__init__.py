"""Local Slack stand-ins: a Web API server, an inbound request driver and Slack's limits."""

from bot.devtools.driver import DriverResponse, SlackDriver
from bot.devtools.limits import check_message, check_view
from bot.devtools.standin import RecordedCall, SlackStandIn

__all__ = [
    "DriverResponse",
    "RecordedCall",
    "SlackDriver",
    "SlackStandIn",
    "check_message",
    "check_view",
]
