"""Only Twilio may drive a call: the X-Twilio-Signature check on every webhook request.

Twilio signs the URL it requested (scheme, host, path, query) plus the sorted POST fields
with the auth token (HMAC-SHA1). Behind a TLS-terminating proxy Flask sees another URL, so
the URL is rebuilt from the configured public base URL, or from X-Forwarded-* headers of a
configured number of trusted proxies (ProxyFix in web.init_app).
"""

from __future__ import annotations

import functools

from flask import Request
from twilio.request_validator import RequestValidator
from twilio.request_validator import compare


def public_url(request: Request, public_base_url: str | None) -> str:
    """The URL Twilio requested, as far as this app can know it."""
    if not public_base_url:
        return request.url
    query = request.query_string.decode("latin-1")
    path = request.script_root + request.path
    return public_base_url.rstrip("/") + path + (f"?{query}" if query else "")


def is_signed(request: Request, auth_token: str, public_base_url: str | None) -> bool:
    """Whether the request carries Twilio's valid signature for its public URL and form."""
    # A missing header must be "" not None: the validator calls len() on it.
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = _validator(auth_token)
    url = public_url(request, public_base_url)
    # One HMAC for the URL as it is (what Twilio signs when the URL has no port); the
    # library's validate also tries the URL with and without the port, two more HMACs.
    if compare(validator.compute_signature(url, request.form), signature):
        return True
    return bool(validator.validate(url, request.form, signature))


@functools.lru_cache(maxsize=4)
def _validator(auth_token: str) -> RequestValidator:
    return RequestValidator(auth_token)
