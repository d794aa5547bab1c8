"""Log records: plain text by default, JSON lines with LOG_FORMAT=json; secrets never shown."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import log_context, log_fields, make_handler
from tests.conftest import new_request

SECRET = "8f14e45fceea167a5a36dedd4bea2543"
BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
APP_TOKEN = "xapp-1-A0123456789-1234567890-abcdef0123456789"


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    """A logger of its own, not propagating: what its handlers write is all it writes."""
    log = logging.getLogger("tests.logs")
    log.propagate = False
    log.setLevel(logging.DEBUG)
    yield log
    log.handlers.clear()


def _lines(logger: logging.Logger, fmt: str) -> io.StringIO:
    stream = io.StringIO()
    logger.handlers[:] = [make_handler(fmt, secrets=[SECRET], stream=stream)]
    return stream


def test_json_lines_parse_and_carry_the_context_fields(logger: logging.Logger) -> None:
    stream = _lines(logger, "json")
    request = new_request(id=42, slack_channel_id="C0SUPPORT", thread_ts="1.000100")

    logger.info(
        "breach for %s", request.key, extra=log_fields(request, timer_kind="first_response_breach")
    )

    line = json.loads(stream.getvalue())
    assert line["message"] == f"breach for {request.key}"
    assert line["level"] == "INFO" and line["logger"] == "tests.logs"
    assert line["time"].endswith("Z") and "T" in line["time"]
    assert line["request_key"] == request.key
    assert line["team"] == "T0001"
    assert line["channel"] == "C0SUPPORT"
    assert line["timer_kind"] == "first_response_breach"


def test_a_log_context_gives_its_fields_to_every_record_inside_it(
    logger: logging.Logger,
) -> None:
    stream = _lines(logger, "json")

    with log_context(request_key="KS-1042", team="T0001"):
        logger.warning("inside", extra={"channel": "C0ONCALL"})
    logger.warning("outside")

    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["request_key"], inside["team"], inside["channel"]) == (
        "KS-1042",
        "T0001",
        "C0ONCALL",
    )
    assert "request_key" not in outside and "channel" not in outside


def test_unknown_fields_are_left_out(logger: logging.Logger) -> None:
    stream = _lines(logger, "json")

    logger.info("no request yet", extra=log_fields(team="T0001", channel=None))

    line = json.loads(stream.getvalue())
    assert line["team"] == "T0001"
    assert "channel" not in line and "request_key" not in line


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_tokens_and_the_signing_secret_are_redacted(logger: logging.Logger, fmt: str) -> None:
    stream = _lines(logger, fmt)

    logger.info(f"token {BOT_TOKEN} in the message")
    logger.info("token %s and %s in the arguments", APP_TOKEN, SECRET)
    logger.info("in a field", extra={"channel": f"x{BOT_TOKEN}"})
    try:
        raise RuntimeError(f"Slack said no to {BOT_TOKEN} signed with {SECRET}")
    except RuntimeError:
        logger.exception("in the traceback")
    logger.info("database at postgresql+psycopg://bot:hunter2@db.internal:5432/desk")

    written = stream.getvalue()
    for secret in (BOT_TOKEN, APP_TOKEN, SECRET, "hunter2", "0987654321", "abcdef0123456789"):
        assert secret not in written
    assert written.count("[REDACTED]") >= 6
    assert "xoxb-[REDACTED]" in written and "xapp-[REDACTED]" in written
    assert "RuntimeError" in written and "in the traceback" in written
    assert "bot:[REDACTED]@db.internal" in written


def test_plain_text_stays_the_default_line(logger: logging.Logger) -> None:
    stream = _lines(logger, "text")

    logger.warning("one line", extra=log_fields(team="T0001"))

    assert stream.getvalue().rstrip().endswith(" WARNING tests.logs: one line")
    with pytest.raises(json.JSONDecodeError):
        json.loads(stream.getvalue())


def test_a_record_whose_arguments_do_not_fit_is_still_written(logger: logging.Logger) -> None:
    stream = _lines(logger, "json")

    logger.info("%s and %s", BOT_TOKEN)  # noqa: PLE1206  (one argument short, on purpose)

    line = json.loads(stream.getvalue())
    assert "unformattable" in line["message"] and BOT_TOKEN not in stream.getvalue()


def test_log_format_is_text_by_default_and_json_when_asked() -> None:
    assert load_settings(_env_file=None).log_format == "text"
    assert load_settings(_env_file=None, log_format="JSON").log_format == "json"
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, log_format="xml")
    assert "LOG_FORMAT" in str(caught.value) and "text (the default) or json" in str(caught.value)
