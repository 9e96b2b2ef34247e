"""Requests to the webhook app made as Twilio makes them: form fields, signed over the URL."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from flask import Flask
from twilio.request_validator import RequestValidator


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


class CallClient:
    """One call's requests as Twilio makes them: its fields, signed when there is a token.

    Subclasses send them: in-process to a Flask app, or over HTTP to a real server.
    """

    def __init__(self, auth_token: str | None, caller: str, called: str) -> None:
        self._validator = RequestValidator(auth_token) if auth_token else None
        self._audio_ok: set[str] = set()
        # The caller's number lives only in this form, as on Twilio; never in a transcript.
        self.form = {
            "CallSid": _sid("CA"),
            "AccountSid": _sid("AC"),
            "From": caller,
            "To": called,
            "CallStatus": "ringing",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        """The fields Twilio posts with every request of this call."""

    def agent_form(self, number: str) -> dict[str, str]:
        """The fields of the transfer's child call to `number` (its whisper request)."""
        return dict(self.form, CallSid=_sid("CA"), ParentCallSid=self.form["CallSid"],
                    Direction="outbound-dial", To=number, CallStatus="in-progress")

    def dial_fields(self, outcome: str) -> dict[str, str]:
        """What Twilio adds when it requests a <Dial action> after the dialled call."""
        bridged = outcome == "completed"
        return {
            "DialCallStatus": outcome,
            "DialCallSid": _sid("CA"),
            "DialCallDuration": "60" if bridged else "0",
            "DialBridged": "true" if bridged else "false",
        }

    def request(self, url: str, method: str, params: dict[str, str]) -> tuple[int, str]:
        """(HTTP status, body) for a request to this absolute URL."""
        raise NotImplementedError

    def audio_problem(self, url: str) -> str | None:
        """Why Twilio could not play this <Play> URL, or None."""
        raise NotImplementedError

    def _signed(self, url: str, params: dict[str, str]) -> dict[str, str]:
        if self._validator is None:
            return {}
        return {"X-Twilio-Signature": self._validator.compute_signature(url, params)}


class WebhookClient(CallClient):
    """Sends one call's requests to an app in-process."""

    def __init__(self, app: Flask, auth_token: str | None, caller: str, called: str) -> None:
        super().__init__(auth_token, caller, called)
        self._client = app.test_client()

    def request(self, url: str, method: str, params: dict[str, str]) -> tuple[int, str]:
        if method.upper() == "GET":
            # Twilio's GET puts the fields in the query string, and signs that whole URL.
            url = url + ("&" if "?" in url else "?") + urlencode(params)
            response = self._client.get(url, headers=self._signed(url, {}))
        else:
            response = self._client.post(url, data=params, headers=self._signed(url, params))
        return response.status_code, response.get_data(as_text=True)

    def audio_problem(self, url: str) -> str | None:
        # Each good URL is fetched once.
        if url in self._audio_ok:
            return None
        # Twilio fetches <Play> URLs with a plain GET, unsigned.
        response = self._client.get(url)
        status, mimetype = response.status_code, response.mimetype or ""
        if status != 200 or not mimetype.startswith("audio/"):
            return f"<Play> {url} answered HTTP {status} {mimetype}".rstrip()
        self._audio_ok.add(url)
        return None
