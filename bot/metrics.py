"""Prometheus metrics, served at /metrics in HTTP mode.

Names follow Prometheus' conventions: one `kustomer_` prefix, base units (seconds),
`_total` on counters, and labels with a small, fixed set of values (never a user, a
request or a Slack id). README.md lists them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REQUESTS_FILED = Counter(
    "kustomer_requests_filed_total", "Support requests filed", ["priority", "route"]
)
FIRST_RESPONSES = Counter(
    "kustomer_first_responses_total",
    "First responses, on time or late against the request's first-response target",
    ["priority", "outcome"],
)
NOTICES = Counter("kustomer_notices_total", "Timer notices by outcome", ["outcome"])
NOTICES_SENT = Counter("kustomer_notices_sent_total", "Timer notices sent to Slack", ["kind"])
TICK_SECONDS = Histogram("kustomer_scheduler_tick_seconds", "Duration of one scheduler tick")
TIMER_DUE_LAG = Histogram(
    "kustomer_timer_due_lag_seconds",
    "How late a claimed timer fired after its due instant (desk time)",
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600, float("inf")),
)
SLACK_API_CALLS = Counter(
    "kustomer_slack_api_calls_total", "Slack Web API calls by method", ["method"]
)
SLACK_API_ERRORS = Counter(
    "kustomer_slack_api_errors_total",
    "Slack Web API calls that failed, by method and Slack's error code",
    ["method", "error"],
)
SLACK_RATE_LIMITED = Counter(
    "kustomer_slack_rate_limited_total", "HTTP 429 answers received from Slack", ["method"]
)
STATUS_POLLS = Counter(
    "kustomer_status_polls_total", "Polls of the vendor's status feed by outcome", ["outcome"]
)
STATUS_POLL_FAILURES = Gauge(
    "kustomer_status_poll_consecutive_failures", "Polls of the vendor's status feed failed in a row"
)


@dataclass(frozen=True)
class OpenCounts:
    """Open requests of one priority, and how many of them breached a target."""

    open: int = 0
    breached: int = 0


class OpenRequestsCollector(Collector):
    """Open requests and open breaches by priority, counted by `source` at scrape time."""

    def __init__(
        self, source: Callable[[], Mapping[str, OpenCounts]], priorities: Iterable[str]
    ) -> None:
        self._source = source
        self._priorities = tuple(priorities)

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return self._families()

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            counts = self._source()
        except Exception:
            log.exception("could not count the open requests for /metrics")
            return []
        return self._families(counts)

    def _families(self, counts: Mapping[str, OpenCounts] | None = None) -> list[GaugeMetricFamily]:
        requests = GaugeMetricFamily(
            "kustomer_open_requests", "Open support requests by priority", labels=["priority"]
        )
        breaches = GaugeMetricFamily(
            "kustomer_open_breaches",
            "Open support requests that breached a target, by priority",
            labels=["priority"],
        )
        if counts is not None:
            for priority in self._priorities:
                found = counts.get(priority, OpenCounts())
                requests.add_metric([priority], found.open)
                breaches.add_metric([priority], found.breached)
        return [requests, breaches]


_installed: list[Collector] = []
_install_lock = threading.Lock()


def install_collector(collector: Collector) -> None:
    """Register a scrape-time collector; it replaces the one installed before (one per process)."""
    with _install_lock:
        for previous in _installed:
            REGISTRY.unregister(previous)
        _installed[:] = [collector]
        REGISTRY.register(collector)


def uninstall_collector(collector: Collector) -> None:
    """Unregister `collector` if it is still the installed one."""
    with _install_lock:
        if collector in _installed:
            REGISTRY.unregister(collector)
            _installed.remove(collector)
