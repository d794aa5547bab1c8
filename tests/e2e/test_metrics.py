"""/metrics after a day's work: filings, first responses, breaches, notices, Slack calls, timers.

The Prometheus registry is process-wide, so counters are read before and after the flow
and compared; the open-request gauges are counted from this bot's database at scrape time.
"""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from bot.clock import ManualClock
from bot.devtools.harness import Harness
from tests.e2e.conftest import OPEN_WEDNESDAY, WorldFactory
from tests.e2e.flows import file, reply, settle
from tests.e2e.timer_steps import run_until

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(world: Harness) -> Samples:
    """Every sample /metrics serves, by name and labels."""
    with urllib.request.urlopen(f"{world.app_url}/metrics", timeout=10) as response:
        assert response.status == 200
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_metrics_count_filings_responses_breaches_and_slack_calls(
    make_world: WorldFactory, clock: ManualClock
) -> None:
    world = make_world(channel_pace_seconds=0)
    before = scrape(world)
    seen_before = len(world.standin.calls)

    high = file(world, world.cast.admin, impact="high")
    critical = file(world, world.cast.admin, impact="critical")
    clock.advance(minutes=5)
    reply(world, high, world.cast.engineer, "Looking at the inbox now.")
    world.standin.wait_for("chat.update", predicate=lambda c: c.params.get("ts") == high["ts"])
    settle(world)
    # The Critical is due at 15:15 and nobody answers it; the scheduler runs 30 s late, and
    # Slack refuses its first post once with a 429.
    world.standin.fail_next("chat.postMessage", status=429, retry_after=0)
    posted = run_until(world, clock, OPEN_WEDNESDAY.add(minutes=15, seconds=30))
    assert any(p.get("thread_ts") == critical["ts"] for p in posted)
    settle(world)
    after = scrape(world)

    filed = "kustomer_requests_filed_total"
    assert grew(before, after, filed, priority="high", route="chat") == 1
    assert grew(before, after, filed, priority="critical", route="chat") == 1
    assert grew(before, after, filed, priority="medium", route="email") == 0

    answered = "kustomer_first_responses_total"
    assert grew(before, after, answered, priority="high", outcome="on_time") == 1
    assert grew(before, after, answered, priority="high", outcome="late") == 0
    assert grew(before, after, answered, priority="critical", outcome="late") == 0

    for priority, open_, breached in (("low", 0, 0), ("high", 1, 0), ("critical", 1, 1)):
        assert after[("kustomer_open_requests", frozenset({("priority", priority)}))] == open_
        assert after[("kustomer_open_breaches", frozenset({("priority", priority)}))] == breached

    notices = "kustomer_notices_sent_total"
    assert grew(before, after, notices, kind="first_response_breach") == 1
    assert grew(before, after, notices, kind="breach_escalation") == 1
    assert grew(before, after, notices, kind="first_response_reminder") == 0

    # The stand-in saw each refused call and its retry; the client made one call of them. The
    # stand-in may refuse more than the one 429 staged here (it enforces Slack's limits).
    seen = [call for call in world.standin.calls[seen_before:] if call.method != "response_url"]
    growth = _growth(before, after)
    for method in {call.method for call in seen}:
        of_method = [call for call in seen if call.method == method]
        refused = sum(call.status == 429 for call in of_method)
        assert grew(before, after, "kustomer_slack_api_calls_total", method=method) == (
            len(of_method) - refused
        ), method
        assert grew(before, after, "kustomer_slack_rate_limited_total", method=method) == (
            refused
        ), method
    assert grew(before, after, "kustomer_slack_rate_limited_total", method="chat.postMessage") >= 1
    # Listeners call Slack through the same metered client (one modal per filing).
    assert grew(before, after, "kustomer_slack_api_calls_total", method="views.open") == 2
    errors = sum(v for (name, _), v in growth.items() if name == "kustomer_slack_api_errors_total")
    assert errors == sum(call.error is not None and call.status != 429 for call in seen)

    lag = "kustomer_timer_due_lag_seconds"
    assert grew(before, after, f"{lag}_count") >= 3  # the two pings the breach swallowed, too
    assert grew(before, after, f"{lag}_sum") >= 30  # desk seconds: the breach fired 30 s late
    assert grew(before, after, "kustomer_scheduler_tick_seconds_count") >= 1


def _growth(before: Samples, after: Samples) -> Samples:
    return {key: value - before.get(key, 0.0) for key, value in after.items()}
