"""The absolute URLs an answer points Twilio to; the signature check later sees the same URLs."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

from werkzeug.wsgi import get_host

from ivr.core import callstate
from ivr.core.callstate import CallState
from ivr.settings import Settings
from ivr.web.step import PATHS

QUERY_SAFE = "!$'()*,/:;?@"
"""What stays unescaped in a query string: the same set Werkzeug's url_for leaves."""


def request_root(settings: Settings, environ: dict[str, Any]) -> str:
    """The URL this app is reached at: the public one when configured (then no header a
    client sends can change it, nor leak into answers cached for every caller), else the
    request's own scheme, host and prefix (local development)."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    scheme = environ.get("wsgi.url_scheme", "http")
    prefix = environ.get("SCRIPT_NAME", "").rstrip("/")
    return f"{scheme}://{get_host(environ)}{prefix}"


@functools.lru_cache(maxsize=4096)
def state_query(state: CallState) -> str:
    """The query string that carries `state` (kept: a menu's states recur in every call)."""
    return urlencode(callstate.encode(state), safe=QUERY_SAFE)


class Links:
    """The next steps' URLs under `root`; audio under the prompts' base URL (a CDN) or ours."""

    def __init__(self, root: str, caller_id: str | None, prompts_base: str | None = None
                 ) -> None:
        self.root = root
        self.caller_id = caller_id
        self.audio_root = (prompts_base or "").rstrip("/") or root + "/audio"

    def step(self, state: CallState) -> str:
        return f"{self.root}{PATHS['step']}?{state_query(state)}"

    def dial_done(self, state: CallState) -> str:
        return f"{self.root}{PATHS['dial_done']}?{state_query(state)}"

    def whisper(self, lang: str) -> str:
        return f"{self.root}{PATHS['whisper']}?{urlencode({'l': lang}, safe=QUERY_SAFE)}"

    def audio(self, filename: str) -> str:
        return f"{self.audio_root}/{filename}"
