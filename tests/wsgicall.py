"""Signed requests straight to the webhook's WSGI callable, as gunicorn hands them over,
without the Flask test client's request building: for the walks that make tens of thousands
of requests. Everyday tests use the test client (conftest's signed_post)."""

from __future__ import annotations

import io
import sys
from urllib.parse import urlencode
from urllib.parse import urlsplit

from ivr.web import signature

_ENCODED: dict[tuple[tuple[str, str], ...], bytes] = {}


def _encoded(form: dict[str, str]) -> bytes:
    # The walks post the same few forms (the call's fields and one input) many times.
    key = tuple(form.items())
    found = _ENCODED.get(key)
    if found is None:
        found = _ENCODED[key] = urlencode(form).encode()
    return found


class Response:
    def __init__(self, status: str, data: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.data = data


def poster(app, public_url: str, token: str):
    """post(url, form): a POST of `form` to the absolute `url`, signed as Twilio signs it
    (ivr.web.signature.compute, proven equal to the twilio library's in test_step.py)."""
    wsgi = app.wsgi_app
    key = token.encode()

    def post(url: str, form: dict[str, str]) -> Response:
        parts = urlsplit(url)
        body = _encoded(form)
        environ = {
            "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
            "HTTP_X_TWILIO_SIGNATURE": signature.compute(key, url, form.items()),
        }
        started: list[str] = []
        chunks = wsgi(environ, lambda status, headers, exc_info=None: started.append(status))
        return Response(started[0], b"".join(chunks))

    return post
