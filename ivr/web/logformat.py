"""One JSON object per log line (IVR_LOG_FORMAT=json, issue 20 item 2), by python-json-logger.

The fields are FIELDS and nothing else (docs/deploy.md describes each): attributes a
library adds to a record (logging's `extra`) are not written, so nothing reaches the log
past the privacy filter. Every value written is masked by ivr.web.privacy once more,
because python-json-logger formats a traceback again from the exception itself rather
than from the masked text the filter left on the record.
"""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from ivr.web.privacy import mask

FIELDS = ("time", "level", "logger", "process", "message", "exception", "stack")
"""In this order; `exception` (a traceback) and `stack` only when the record has one."""
_RENAMED = {"levelname": "level", "name": "logger", "exc_info": "exception",
            "stack_info": "stack"}


class JsonLines(JsonFormatter):
    """A record as one line of JSON with FIELDS, every text in it masked."""

    def __init__(self) -> None:
        super().__init__(["levelname", "name", "process", "message"],
                         rename_fields=_RENAMED, timestamp="time")

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {name: _masked(log_data[name]) for name in FIELDS if name in log_data}


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


def use_json(loggers: tuple[str, ...] = ("", "ivr", "gunicorn.error")) -> None:
    """Write the records of these loggers' handlers as JSON lines: the root logger's (`ivr
    serve`) and gunicorn's error log, which the ivr loggers write through under gunicorn."""
    for name in loggers:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(JsonLines())
