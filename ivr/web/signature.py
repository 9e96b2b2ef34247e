"""Only Twilio may drive a call: the X-Twilio-Signature check on every webhook request.

Twilio signs the URL it requested (scheme, host, path, query) plus the sorted POST fields
with the auth token (HMAC-SHA1). The URL checked is always the configured public URL plus
the request's path and query: no header a client sends (Host, X-Forwarded-*, SCRIPT_NAME)
can change it, so a request Twilio signed for another webhook of the same account (another
host, http, another prefix) is refused (issue 8 item 5).
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from twilio.request_validator import compare


class SignatureCheck:
    """The check for one auth token and public URL, prepared once per process."""

    def __init__(self, auth_token: str, public_base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
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
