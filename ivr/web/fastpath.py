"""The webhook's hot path: a signed step whose answer is already rendered, without Flask.

Most steps of most calls ask for an answer the process has rendered before (the cache in
webhook._answer). Answering those through Flask cost more than the menu logic: a request
context, URL matching, Werkzeug's form parser and response object came to 0.65x the
throughput of a bare Flask endpoint (issue 13). This WSGI layer reads Twilio's form once,
checks the signature against the configured public URL, and sends the cached bytes. Every
other request (a miss, another path or method, no Content-Length, a bad signature, a body
too big) goes to Flask untouched, which answers it exactly as before: the fast path only
ever sends what Flask's view put in the cache for the same key.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler

from ivr.web import webhook

log = logging.getLogger(__name__)
WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
ENDPOINTS = {"/voice": "voice.voice", "/voice/step": "voice.step",
             "/voice/dial-done": "voice.dial_done"}
FORM_TYPE = "application/x-www-form-urlencoded"
HEADERS = [("Content-Type", "text/xml; charset=utf-8")]


class FastPath:
    """WSGI middleware in front of the Flask app; needs signatures on (a public URL)."""

    def __init__(self, app: WSGIApp, ivr: webhook.WebhookContext) -> None:
        assert ivr.check is not None and ivr.settings.public_base_url
        self.app = app
        self.ivr = ivr
        self.check = ivr.check
        self.root = ivr.settings.public_base_url

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        endpoint = ENDPOINTS.get(environ.get("PATH_INFO", ""))
        if endpoint is None or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            body = self._read_body(environ)
            answer = None if body is None else self._cached(environ, endpoint, body)
        except Exception:
            # Never a 500 from here: Flask answers (and apologises if it must).
            log.exception("the fast path failed; passing the request to Flask")
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        start_response("200 OK", [*HEADERS, ("Content-Length", str(len(answer)))])
        return [answer]

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        """The whole form, left readable for Flask; None when Flask must judge the request."""
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() != FORM_TYPE:
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None  # chunked or junk: Flask's limits and errors apply
        if not 0 <= length <= webhook.MAX_BODY:
            return None
        body: bytes = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body if len(body) == length else None

    def _cached(self, environ: dict[str, Any], endpoint: str, body: bytes) -> bytes | None:
        try:
            # Exactly Werkzeug's decoding of a urlencoded form (formparser._parse_urlencoded).
            pairs = parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        except (UnicodeDecodeError, ValueError):
            return None
        query = environ.get("QUERY_STRING", "").encode("latin-1")
        signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        if not self.check.accepts_pairs(signature, environ["PATH_INFO"], query, pairs):
            return None  # Flask's check answers 403
        fields = _first_values(pairs, ("Digits", "SpeechResult", "DialCallStatus", "To"))
        menus, prompts = self.ivr.store.snapshot()
        caller_id = self.ivr.settings.caller_id or webhook.helpline_number(fields.get("To", ""))
        event = webhook.event_for(endpoint, fields.get, menus)
        key = webhook.answer_key(menus, prompts, self.root, caller_id, endpoint, query, event)
        answer = self.ivr.cache.get(key)
        if answer is not None:
            # Counted exactly as Flask's view counts the step (ivr/stats).
            self.ivr.stats.step(menus, query, event)
        return answer


def _first_values(pairs: list[tuple[str, str]], names: tuple[str, ...]) -> dict[str, str]:
    """The first value of each of these fields, as request.form.get gives it."""
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in names and name not in found:
            found[name] = value
    return found
