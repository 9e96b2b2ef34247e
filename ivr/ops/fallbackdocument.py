"""Whether Twilio could use the document at a number's fallback URL ("Primary handler
fails"), fetched as Twilio fetches it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import requests
from requests import RequestException

TIMEOUT = 15.0
"""Twilio's own limit for an answer."""

TWIML_TYPES = ("text/xml", "application/xml", "text/html")
"""What Twilio reads as TwiML; text/plain it would read aloud, markup and all."""


def fallback_problem(url: str) -> str | None:
    """Why Twilio could not use the document at `url` as its fallback, or None.

    Fetched as Twilio fetches it: a POST with the error it met (its other fields, the
    caller's number among them, are left out).
    """
    try:
        response = requests.post(url, data={"ErrorCode": "11200", "ErrorUrl": url},
                                 timeout=TIMEOUT)
    except RequestException as error:
        return f"cannot fetch it ({type(error).__name__}); Twilio could not either"
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code != 200:
        return (f"it answers a POST with HTTP {response.status_code}, so Twilio would play its "
                "own error (serve it to POST: docs/deploy.md, \"The fallback document\")")
    if kind not in TWIML_TYPES:
        return (f"it is served as {kind or 'no type'!r}, not text/xml (Twilio reads only XML "
                "as TwiML)")
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as error:
        return f"it is not XML ({error}); upload the output of `ivr fallback` whole"
    if root.tag != "Response":
        return f"it is XML but not TwiML (<{root.tag}>, not <Response>)"
    return None
