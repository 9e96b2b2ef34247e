"""Sending the read-out by text message (issue 14), with the twilio library's REST client.

Off unless the operator sets TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and IVR_SMS_FROM (the
Twilio number that sends). The caller's number (the request's From) is used for the one
API request and is never logged or kept: only the Twilio error code of a failure is logged,
because Twilio's messages quote the number ("The 'To' number +358... is not valid").
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
from requests import RequestException
from twilio.base.exceptions import TwilioException
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

log = logging.getLogger(__name__)
ENV = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "IVR_SMS_FROM")
TIMEOUT = 10.0
"""Seconds for the API request: the caller waits in silence meanwhile."""
SENT, NO_NUMBER, REFUSED, UNREACHABLE = "sent", "no_number", "refused", "unreachable"
"""What became of a message: sent; the caller's number withheld or not valid; Twilio
answered with an error; Twilio's API could not be reached (the metrics count each)."""

# The library logs each request's form (the caller's number in To) at INFO; the privacy
# filter masks it anyway, but it need not be written at all.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)


@dataclass
class TextSender:
    """Sends one text message per request through Twilio's Messages API."""

    account_sid: str
    auth_token: str
    from_number: str
    http_client: HttpClient | None = None
    """The HTTP layer of the twilio client; tests put a fake here (the library's boundary)."""
    on_result: Callable[[str], None] | None = None
    """Told what became of each message (SENT, NO_NUMBER, REFUSED, UNREACHABLE)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TextSender | None:
        """A sender when all three variables are set; None (no sms offered) otherwise."""
        env = os.environ if env is None else env
        values = [env.get(name, "").strip() for name in ENV]
        if not all(values):
            return None
        sid, token, sender = values
        return cls(sid, token, sender)

    def send(self, to: str, body: str) -> bool:
        """Send `body` to `to`; False (and a log line without the number) if it failed."""
        result = self._send(to, body)
        if self.on_result is not None:
            self.on_result(result)
        return result == SENT

    def _send(self, to: str, body: str) -> str:
        if not _is_phone(to):
            log.warning("text message not sent: the caller's number is withheld or not valid")
            return NO_NUMBER
        http = self.http_client or TwilioHttpClient(timeout=TIMEOUT)
        client = Client(self.account_sid, self.auth_token, http_client=http)
        try:
            client.messages.create(to=to, from_=self.from_number, body=body)
        except TwilioRestException as error:
            log.warning("text message not sent: Twilio error %s (HTTP %s)", error.code,
                        error.status)
            return REFUSED
        except (TwilioException, RequestException, OSError) as error:
            log.warning("text message not sent: %s", type(error).__name__)
            return UNREACHABLE
        return SENT


def _is_phone(number: str) -> bool:
    """A real number in E.164 (Twilio sends 'Anonymous' or a short code for some callers)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return number.startswith("+") and phonenumbers.is_valid_number(parsed)
