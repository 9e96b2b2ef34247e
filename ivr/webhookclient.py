"""Requests to the webhook app made as Twilio makes them: form fields, signed over the URL."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask
from twilio.request_validator import RequestValidator


class WebhookClient:
    """Sends Twilio's requests to an app in-process, signed when there is an auth token."""

    def __init__(self, app: Flask, auth_token: str | None) -> None:
        self._client = app.test_client()
        self._validator = RequestValidator(auth_token) if auth_token else None

    def request(self, url: str, method: str, params: dict[str, str]) -> tuple[int, str]:
        """(HTTP status, body) for a request to this absolute URL."""
        if method.upper() == "GET":
            # Twilio's GET puts the fields in the query string, and signs that whole URL.
            url = url + ("&" if "?" in url else "?") + urlencode(params)
            response = self._client.get(url, headers=self._signed(url, {}))
        else:
            response = self._client.post(url, data=params, headers=self._signed(url, params))
        return response.status_code, response.get_data(as_text=True)

    def fetch_audio(self, url: str) -> tuple[int, str]:
        """(HTTP status, mimetype) of a <Play> URL; Twilio fetches these with a plain GET."""
        response = self._client.get(url)
        return response.status_code, response.mimetype or ""

    def _signed(self, url: str, params: dict[str, str]) -> dict[str, str]:
        if self._validator is None:
            return {}
        return {"X-Twilio-Signature": self._validator.compute_signature(url, params)}
