"""Keep loopback traffic away from any HTTP proxy configured in the environment."""

from __future__ import annotations

import os

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
_NAMES = ("NO_PROXY", "no_proxy")


def bypass_proxies_for_loopback() -> None:
    """Make NO_PROXY and no_proxy both list the loopback hosts, keeping what they held."""
    # urllib lets no_proxy override NO_PROXY, so both spellings get the same merged list.
    hosts: list[str] = []
    for name in _NAMES:
        for host in os.environ.get(name, "").split(","):
            if host.strip() and host.strip() not in hosts:
                hosts.append(host.strip())
    hosts += [host for host in LOOPBACK_HOSTS if host not in hosts]
    merged = ",".join(hosts)
    for name in _NAMES:
        if os.environ.get(name) != merged:
            os.environ[name] = merged
