"""`python -m bot` as an operator runs it: a real process, a folder with a `.env`, real ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.cli.startup import BOLT_ENVIRONMENT
from bot.config import Settings
from bot.devtools.harness import BOT_TOKEN, CAST, SIGNING_SECRET

REPO = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = REPO / ".env.example"
# What an operator fills in after `cp .env.example .env` (the stand-in's workspace ids).
FILLED_IN = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "SUPPORT_CHANNEL_ID": CAST.support_channel,
    "ONCALL_CHANNEL_ID": CAST.oncall_channel,
    "ESCALATION_CHANNEL_ID": CAST.escalation_channel,
    "SUPPORT_USERGROUP_ID": CAST.support_group,
    "ONCALL_USERGROUP_ID": CAST.oncall_group,
}


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without any bot setting a developer's shell may hold, plus `settings`."""
    names = {name.upper() for name in Settings.model_fields} | set(BOLT_ENVIRONMENT)
    env = {key: value for key, value in os.environ.items() if key.upper() not in names}
    env.update(PYTHONPATH=str(REPO), NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(settings)
    return env


def env_from_example(folder: Path, **values: str) -> Path:
    """`folder/.env` made from `.env.example`, with `values` put in the lines they name."""
    lines, seen = [], set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        name, assigned, _ = line.partition("=")
        if assigned and not line.startswith("#") and name in values:
            lines.append(f"{name}={values[name]}")
            seen.add(name)
        else:
            lines.append(line)
    assert seen == set(values), f".env.example has no line for {sorted(set(values) - seen)}"
    path = folder / ".env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    """A TCP port nothing listens on (free now; closed, for a Slack that cannot be reached)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_bot(
    *args: str, folder: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in `folder` (its `.env` is the only one read) to the end."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=folder,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Serving:
    """A `python -m bot run` process serving HTTP, and where its output goes."""

    process: subprocess.Popen[bytes]
    log: Path
    port: int

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> int:
        """The HTTP status of GET `path` (no proxy in between)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"http://127.0.0.1:{self.port}{path}", timeout=5) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def wait_until_serving(self, timeout: float = 45) -> None:
        """Block until /healthz answers at all; fail with the bot's output if it exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the bot exited with {self.process.returncode}:\n{self.output()}"
                )
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"the bot did not serve within {timeout}s:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(10)


def start_serving(folder: Path, port: int, env: dict[str, str] | None = None) -> Serving:
    """Start `python -m bot run` in `folder`, serving HTTP on `port`."""
    log = folder / "bot.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
            cwd=folder,
            env=env if env is not None else clean_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return Serving(process, log, port)
