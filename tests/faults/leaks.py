"""The secrets a fault test's app holds, and the check that none of them shows anywhere."""

from __future__ import annotations

from collections.abc import Iterable


class Leaks:
    """Secrets that must never show in a log line, an error message or a Slack message."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = [s for s in secrets if s]

    def add(self, secret: str) -> None:
        if secret and secret not in self.secrets:
            self.secrets.append(secret)

    def assert_absent(self, text: str, *, where: str) -> None:
        """Fail naming the secret and the line it shows in."""
        for secret in self.secrets:
            if secret in text:
                line = next(line for line in text.splitlines() if secret in line)
                raise AssertionError(f"a secret shows in {where}: {line[:300]}")

    def assert_checked(self, text: str, *, where: str) -> None:
        """`assert_absent`, and the text is not empty (a check over nothing proves nothing)."""
        assert text.strip(), f"nothing was captured from {where}"
        self.assert_absent(text, where=where)
