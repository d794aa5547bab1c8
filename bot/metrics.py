"""Prometheus metrics, served at /metrics in HTTP mode."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS_FILED = Counter(
    "kustomer_requests_filed_total", "Support requests filed", ["priority", "intake"]
)
NOTICES = Counter("kustomer_notices_total", "Timer notices by outcome", ["outcome"])
TICK_SECONDS = Histogram("kustomer_scheduler_tick_seconds", "Duration of one scheduler tick")
