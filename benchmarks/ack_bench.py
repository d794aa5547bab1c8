"""Time-to-ack and time-to-modal under a sustained slash-command load.

Our app and a bare Bolt app (ack + a one-block modal) run behind the same server
(waitress) against the same Slack stand-in, in the same run. For each command we
measure: send → HTTP answer (time-to-ack) and send → views.open seen by the stand-in
(time-to-modal). Prints p50/p99 for both apps and our/bare ratios.

    python benchmarks/ack_bench.py [--rate 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.devtools.driver import SlackDriver
from bot.devtools.harness import BOT_TOKEN, CAST, SIGNING_SECRET, Harness
from bot.devtools.standin import SlackStandIn
from bot.devtools.standin_state import RecordedCall
from bot.slack.server import BotWsgiApp, make_server


@dataclass
class Samples:
    """Per-command timings of one app, in seconds."""

    acks: list[float] = field(default_factory=list)
    modals: list[float] = field(default_factory=list)
    failures: int = 0


class ModalWatch:
    """Records when the stand-in receives views.open, by trigger_id."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, call: RecordedCall) -> None:
        if call.method == "views.open":
            with self._lock:
                self.seen[str(call.params.get("trigger_id"))] = time.monotonic()


def bare_bolt(standin: SlackStandIn) -> App:
    """The baseline: a Bolt app that only acks and opens a one-block modal."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=standin.base_url),
        signing_secret=SIGNING_SECRET,
        listener_executor=ThreadPoolExecutor(max_workers=32),
    )

    @app.command("/kustomer-support")
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "title": {"type": "plain_text", "text": "Bare"},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
            },
        )

    return app


def load(driver: SlackDriver, watch: ModalWatch, *, rate: float, seconds: float) -> Samples:
    """Send `rate` commands per second for `seconds`, each on its own schedule."""
    samples = Samples()
    sent: dict[str, float] = {}
    lock = threading.Lock()
    total = int(rate * seconds)
    start = time.monotonic() + 0.2

    def one(index: int) -> None:
        time.sleep(max(0.0, start + index / rate - time.monotonic()))
        trigger = f"bench.{index}.{id(samples)}"
        began = time.monotonic()
        with lock:
            sent[trigger] = began
        response = driver.slash_command(user_id=CAST.admin, trigger_id=trigger)
        with lock:
            if response.status == 200:
                samples.acks.append(time.monotonic() - began)
            else:
                samples.failures += 1

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(total)))
    _collect_modals(watch, sent, samples)
    return samples


def _collect_modals(watch: ModalWatch, sent: dict[str, float], samples: Samples) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(t in watch.seen for t in sent):
        time.sleep(0.05)
    for trigger, began in sent.items():
        if trigger in watch.seen:
            samples.modals.append(watch.seen[trigger] - began)
        else:
            samples.failures += 1


def serve(app: App) -> tuple[Any, SlackDriver]:
    """Serve a Bolt app with waitress on loopback; returns the server and a driver."""
    wsgi = BotWsgiApp(app, health=lambda: True, signing_secret=SIGNING_SECRET)
    server = make_server(wsgi, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/slack/events"
    return server, SlackDriver(base_url=url, signing_secret=SIGNING_SECRET)


def pct(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, samples: Samples) -> None:
    acks, modals = samples.acks, samples.modals
    print(
        f"{name:<10} ack p50 {pct(acks, 0.5):7.1f} ms  p99 {pct(acks, 0.99):7.1f} ms"
        f" | modal p50 {pct(modals, 0.5):7.1f} ms  p99 {pct(modals, 0.99):7.1f} ms"
        f" | n={len(modals)} failures={samples.failures}"
    )


def run(
    rate: float, seconds: float, measure: Callable[[str, SlackDriver, ModalWatch], Samples]
) -> None:
    """Both apps, the same server, stand-in and load, one after the other."""
    with tempfile.TemporaryDirectory() as folder:
        harness = Harness(database_url=f"sqlite:///{folder}/bench.db")
        watch = ModalWatch()
        harness.standin.add_listener(watch)
        try:
            ours = measure("ours", harness.driver, watch)
            server, bare_driver = serve(bare_bolt(harness.standin))
            try:
                bare = measure("bare", bare_driver, watch)
            finally:
                server.close()
        finally:
            harness.stop()
    print(f"\n{rate:g} commands/s for {seconds:g} s per app")
    report("our app", ours)
    report("bare Bolt", bare)
    for label, ours_values, bare_values in (
        ("ack", ours.acks, bare.acks),
        ("modal", ours.modals, bare.modals),
    ):
        print(
            f"ratio ours/bare {label}: p50 {pct(ours_values, 0.5) / pct(bare_values, 0.5):.2f}x"
            f"  p99 {pct(ours_values, 0.99) / pct(bare_values, 0.99):.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    def measure(name: str, driver: SlackDriver, watch: ModalWatch) -> Samples:
        print(f"loading {name} ...", flush=True)
        return load(driver, watch, rate=args.rate, seconds=args.seconds)

    run(args.rate, args.seconds, measure)


if __name__ == "__main__":
    main()
