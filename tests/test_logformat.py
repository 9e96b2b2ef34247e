"""IVR_LOG_FORMAT=json (issue 20 item 2): one JSON object per line with the documented fields,
and a caller's number masked wherever it hides in a record. tests/test_metrics_gunicorn.py
reads gunicorn's own error log in this format."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import sys

import pytest

from ivr.settings import Settings
from ivr.settings import SettingsError
from ivr.web import privacy
from ivr.web.factory import create_webhook_app
from ivr.web.logformat import FIELDS
from ivr.web.logformat import JsonLines
from tests.conftest import CALLER
from tests.conftest import saved

SPACED = "+358 40 123 4567"
"""The caller's number as a person might write it."""


@pytest.fixture
def written():
    """A logger whose records are written as JSON lines; lines() parses what was written."""
    privacy.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("ivr.tests.logformat")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False

    def lines() -> list[dict[str, object]]:
        text = stream.getvalue()
        assert text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]

    yield logger, lines, stream
    logger.removeHandler(handler)


def test_a_callers_number_is_masked_in_a_message_an_argument_and_an_exception(written):
    logger, lines, stream = written
    logger.warning(f"a text message for {SPACED} failed")
    logger.warning("a text message for %s failed", CALLER)
    try:
        raise ValueError(f"The 'To' number {CALLER} is not a valid phone number.")
    except ValueError:
        logger.exception("sending to %s failed", CALLER)
    first, second, third = lines()
    assert first["message"] == second["message"] == "a text message for [redacted] failed"
    assert third["message"] == "sending to [redacted] failed"
    assert third["exception"].startswith("Traceback (most recent call last):\n")
    assert third["exception"].endswith(
        "ValueError: The 'To' number [redacted] is not a valid phone number.")
    assert "40 123 4567" not in stream.getvalue() and "401234567" not in stream.getvalue()


def test_a_record_made_past_the_privacy_filter_is_masked_all_the_same():
    # A record built by hand (or by a library's own factory) never met ivr.web.privacy.
    try:
        raise RuntimeError(f"From={CALLER}")
    except RuntimeError:
        record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1,
                                   "caller %s", (CALLER,), sys.exc_info())
    line = JsonLines().format(record)
    assert "401234567" not in line
    assert json.loads(line)["exception"].endswith("RuntimeError: From=[redacted]")


def test_each_record_is_one_line_with_the_documented_fields_and_no_others(written):
    logger, lines, stream = written
    logger.info("menus not reloaded:\nmenus.yaml:3:1: error: ...", extra={"From": CALLER,
                                                                          "CallSid": "CA1"})
    logger.info("with the stack", stack_info=True)
    assert len(stream.getvalue().splitlines()) == 2
    first, second = lines()
    assert tuple(first) == FIELDS[:5] == ("time", "level", "logger", "process", "message")
    assert tuple(second) == (*FIELDS[:5], "stack")
    assert first["message"] == "menus not reloaded:\nmenus.yaml:3:1: error: ..."
    assert (first["level"], first["logger"]) == ("INFO", "ivr.tests.logformat")
    assert first["time"].endswith("+00:00") and isinstance(first["process"], int)
    assert CALLER not in stream.getvalue() and "CA1" not in stream.getvalue()


@pytest.fixture
def root_handler():
    """A handler on the root logger, as `ivr serve` sets one up; every formatter put back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    kept = [(h, h.formatter) for h in root.handlers]
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    for h, formatter in kept:
        h.setFormatter(formatter)


def test_the_switch_writes_the_webhooks_log_as_json(settings, root_handler, menus_file):
    create_webhook_app(settings, None)  # a valid start, which keeps a last-good copy
    root_handler.seek(0)
    root_handler.truncate()
    saved(menus_file, "menus: [")
    create_webhook_app(dataclasses.replace(settings, log_format="json"), None)
    records = [json.loads(line) for line in root_handler.getvalue().splitlines()]
    errors = [r for r in records if r["level"] == "ERROR"]
    assert [(r["logger"], r["message"].split(" (version")[0]) for r in errors] == [
        ("ivr.web.menustore", "menus file not valid at start, serving the last-good copy "
         f"{menus_file.parent / '.menus.yaml.last-good'}")]


@pytest.mark.parametrize(("raw", "expected"), [("json", "json"), ("JSON", "json"),
                                                ("text", "text"), ("", "text")])
def test_the_log_format_is_read(raw, expected):
    assert Settings.from_env({"IVR_LOG_FORMAT": raw}).log_format == expected


def test_another_log_format_is_refused_in_one_line():
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"IVR_LOG_FORMAT": "logfmt"})
    assert str(refused.value) == ("IVR_LOG_FORMAT='logfmt' is not text or json "
                                  "(fix or unset IVR_LOG_FORMAT)")
