"""Callers stay anonymous: no phone number or caller field reaches any log line.

Besides the signature check, which hashes the whole form as Twilio signed it, the webhook
reads Digits, SpeechResult, DialCallStatus and To: the helpline's own number, which the info
line is shown instead of the caller's and which is never logged. It reads From only to send
a text message the caller confirmed (ivr/web/sms.py), never Caller or the other caller
fields, and the call state in URLs holds only menu choices. What a caller said
(SpeechResult) is masked like a caller field. This filter is the
second line: it masks anything that looks like a phone number, and the value of any caller
field, in every record it sees, including third-party ones (werkzeug's access log, gunicorn).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

CALLER_FIELDS = (
    "From", "To", "Caller", "Called", "CallerName", "CallerCity", "CallerState", "CallerZip",
    "CallerCountry", "FromCity", "FromState", "FromZip", "FromCountry", "ToCity", "ToState",
    "ToZip", "ToCountry", "CalledCity", "CalledState", "CalledZip", "CalledCountry",
    "ForwardedFrom", "StirVerstat",
)  # fmt: skip
MASK = "[redacted]"

# E.164 (+44 20 7946 0018), international with 00, national (040-123 4567, (09) 1234 567),
# and long bare digit runs; dates and times (2026-11-25, 19:15:43) stay readable.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+|%2B|00)\s?\d(?:[\s\-.()/]|%20)?(?:\d(?:[\s\-.()/]|%20)?){5,15}\d"
    r"|(?<![\w+\-])\(?0\d{1,3}\)?[\s\-/]?\d{2,4}(?:[\s\-]?\d{2,4}){1,3}(?![\w\-])"
    r"|(?<![\w\-])\d{9,15}(?![\w\-])",
    re.IGNORECASE,
)
_FIELDS = re.compile(
    r"\b(" + "|".join(CALLER_FIELDS) + r")(['\"]?\s*[=:]\s*['\"]?)([^&\s,'\"}]+)",
)


# What a caller said (issue 14) may hold spaces, so its value runs to the next field, quote
# or line end rather than to the first space.
SPOKEN_FIELDS = ("SpeechResult", "UnstableSpeechResult")
_SPOKEN = re.compile(
    r"\b(" + "|".join(SPOKEN_FIELDS) + r")(['\"]?\s*[=:]\s*['\"]?)([^&'\"\n}]+)",
)


def mask(text: str) -> str:
    """The text with phone-number-like strings and caller field values replaced."""
    text = _SPOKEN.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    text = _FIELDS.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    return _PHONE.sub(MASK, text)


class CallerPrivacyFilter(logging.Filter):
    """Masks caller data in the formatted message of every record (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Mask the record's message and traceback in place (formatted once, args dropped)."""
    if getattr(record, "_ivr_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken record is logging's problem, not ours
        return record
    record.msg, record.args = mask(message), None
    if record.exc_info and not record.exc_text:
        # Formatters print exc_text when it is set, so the traceback is masked too.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._ivr_scrubbed = True
    return record


_FILTER = CallerPrivacyFilter()
LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error", "flask.app", "ivr")


RecordFactory = Callable[..., logging.LogRecord]


def _scrubbing_factory(factory: RecordFactory) -> RecordFactory:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub(factory(*args, **kwargs))

    make._ivr_scrubbing = True  # type: ignore[attr-defined]
    return make


def install(logger_names: tuple[str, ...] = LOGGERS) -> CallerPrivacyFilter:
    """Mask caller data in every log record of this process (idempotent).

    Records are scrubbed where they are made (the record factory), so handlers added
    later, such as werkzeug's own, never see a number; the filter also sits on the named
    loggers and their handlers for records made by other factories.
    """
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_ivr_scrubbing", False):
        logging.setLogRecordFactory(_scrubbing_factory(factory))
    for name in logger_names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
    return _FILTER
