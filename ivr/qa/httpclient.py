"""A call's requests sent over HTTP(S) to a real server, signed as Twilio signs them.

For checking a deployment (`ivr call --url`): the server answers only if its auth token and
public URL match ours. Certificates are verified (REQUESTS_CA_BUNDLE names a private CA).
"""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from ivr.qa.webhookclient import CallClient

TIMEOUT = 15.0
"""Twilio's own limit for a webhook answer."""


class HttpCallClient(CallClient):
    """Sends one call's requests to the absolute URLs in the server's TwiML."""

    def __init__(self, auth_token: str | None, caller: str, called: str) -> None:
        super().__init__(auth_token, caller, called)
        self._session = requests.Session()

    def request(self, url: str, method: str, params: dict[str, str]) -> tuple[int, str]:
        if method.upper() == "GET":
            url = url + ("&" if "?" in url else "?") + urlencode(params)
            response = self._session.get(url, headers=self._signed(url, {}), timeout=TIMEOUT,
                                         allow_redirects=False)
        else:
            response = self._session.post(url, data=params, headers=self._signed(url, params),
                                          timeout=TIMEOUT, allow_redirects=False)
        response.encoding = response.encoding or "utf-8"
        return response.status_code, response.text

    def audio_problem(self, url: str) -> str | None:
        if url in self._audio_ok:
            return None
        response = self._session.get(url, timeout=TIMEOUT)
        mimetype = response.headers.get("Content-Type", "")
        if response.status_code != 200 or not mimetype.startswith("audio/"):
            return f"<Play> {url} answered HTTP {response.status_code} {mimetype}".rstrip()
        self._audio_ok.add(url)
        return None
