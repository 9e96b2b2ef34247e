"""Only Twilio may drive a call: the X-Twilio-Signature check on every webhook request.

Twilio signs the URL it requested (scheme, host, path, query) plus the sorted POST fields
with the auth token (HMAC-SHA1). The URL checked is always the configured public URL plus
the request's path and query: no header a client sends (Host, X-Forwarded-*, SCRIPT_NAME)
can change it, so a request Twilio signed for another webhook of the same account (another
host, http, another prefix) is refused (issue 8 item 5).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from twilio.request_validator import compare
from werkzeug.datastructures import MultiDict


def compute(token: bytes, url: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature of `url` and the form `pairs`, byte for byte as the twilio library.

    RequestValidator.compute_signature appends, for each distinct name in sorted order, the
    name and each of its distinct values in sorted order; sorting the distinct (name, value)
    pairs is the same order (tests/test_signature.py proves it over Twilio's published
    vector and thousands of random forms), without the library's per-name lookups.
    """
    data = url + "".join(name + value for name, value in sorted(set(pairs)))
    return base64.b64encode(hmac.new(token, data.encode("utf-8"), hashlib.sha1).digest()).decode()


class SignatureCheck:
    """The check for one auth token and public URL, prepared once per process."""

    def __init__(self, auth_token: str, public_base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._token = auth_token.encode("utf-8")
        self._base = public_base_url.rstrip("/")

    def url(self, path: str, query: bytes) -> str:
        """The URL Twilio requested: our public base, the path and the raw query string."""
        if query:
            return f"{self._base}{path}?{query.decode('latin-1')}"
        return self._base + path

    def accepts(self, signature: str, path: str, query: bytes,
                form: Mapping[str, str]) -> bool:
        """Whether `signature` is Twilio's for this path, query and form."""
        if not signature:
            return False
        url = self.url(path, query)
        # One HMAC for the URL as configured (what Twilio signs); only when that fails the
        # library's validate also tries the URL with and without the default port (two more).
        if compare(self._validator.compute_signature(url, form), signature):
            return True
        return bool(self._validator.validate(url, form, signature))

    def accepts_pairs(self, signature: str, path: str, query: bytes,
                      pairs: list[tuple[str, str]]) -> bool:
        """accepts() for a form parsed into (name, value) pairs (the fast path)."""
        if not signature:
            return False
        url = self.url(path, query)
        if hmac.compare_digest(compute(self._token, url, pairs).encode(),
                               signature.encode("utf-8", "replace")):
            return True
        return bool(self._validator.validate(url, MultiDict(pairs), signature))
