"""A streamed (chunked) request body over the limit is refused with 413, not cut short.

werkzeug checks MAX_CONTENT_LENGTH against Content-Length, but a chunked body, which
gunicorn and werkzeug's server de-chunk for the app, it reads only up to the limit and
parses what it got: a form cut at 64 KiB, answered as if whole (issue 8 item 8).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import IO
from typing import TYPE_CHECKING

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class BodyLimit:
    """WSGI middleware: a body without Content-Length is read whole (up to `limit`) first."""

    def __init__(self, app: WSGIApplication, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # Without wsgi.input_terminated the server does not end the stream, and werkzeug
        # reads no body at all; with a Content-Length (and no chunking, which overrides
        # it) werkzeug answers 413 itself.
        if get_content_length(environ) is not None or not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)
        body = _read_at_most(environ["wsgi.input"], self.limit + 1)
        if len(body) > self.limit:
            return RequestEntityTooLarge()(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # de-chunked now
        return self.app(environ, start_response)
