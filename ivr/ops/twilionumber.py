"""The helpline's Twilio numbers as Twilio has them: read and changed through the twilio
library's REST client (IncomingPhoneNumbers), so a test puts a fake at its HTTP boundary
(twilio.http.HttpClient), as the text messages do. What they must be: numbersettings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from typing import TypeVar

from requests import RequestException
from twilio.base.exceptions import TwilioException
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from ivr.ops.numbersettings import FIELDS
from ivr.ops.numbersettings import NUMBERS
from ivr.ops.numbersettings import Field
from ivr.ops.numbersettings import NumberSettings
from ivr.ops.numbersettings import Value

TIMEOUT = 15.0
T = TypeVar("T")


class TwilioProblem(Exception):
    """Twilio refused or could not be reached; the message is one line with the fix."""


@dataclass(frozen=True)
class Difference:
    field: Field
    now: Value
    wanted: Value

    def describe(self, arrow: str = " -> ") -> str:
        return f"{self.field.form} ({self.field.console}): {_show(self.now)}{arrow}" \
               f"{_show(self.wanted)}"


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return repr(value) if value else "empty"


@dataclass(frozen=True)
class NumberState:
    """One number's voice settings as Twilio has them."""

    number: str
    sid: str
    values: dict[str, Value]
    trunk_sid: str

    def differences(self, wanted: Mapping[str, Value]) -> list[Difference]:
        return [Difference(field, self.values[field.name], wanted[field.name])
                for field in FIELDS if self.values[field.name] != wanted[field.name]]

    def trunk_problem(self) -> str | None:
        if not self.trunk_sid:
            return None
        return (f"{self.number} is on the SIP trunk {self.trunk_sid}: Twilio sends its calls to "
                "the trunk, never to a voice URL (remove it from the trunk in the console, "
                "Elastic SIP Trunking > the trunk > Numbers)")


def _state(instance: Any) -> NumberState:
    values: dict[str, Value] = {}
    for field in FIELDS:
        raw = getattr(instance, field.name)
        if field.name == "voice_caller_id_lookup":
            values[field.name] = bool(raw)
        elif field.name.endswith("_method"):
            values[field.name] = (raw or "POST").upper()  # Twilio's default when unset
        else:
            values[field.name] = raw or ""
    return NumberState(str(instance.phone_number), str(instance.sid), values,
                       str(instance.trunk_sid or ""))


class TwilioNumbers:
    """The account's numbers through the REST client; every failure is one TwilioProblem."""

    def __init__(self, settings: NumberSettings, http_client: HttpClient | None = None) -> None:
        self._account = settings.account_sid
        http = http_client or TwilioHttpClient(timeout=TIMEOUT)
        self._client = Client(settings.account_sid, settings.auth_token, http_client=http)

    def read(self, number: str) -> NumberState:
        """The number's settings; it must be one of the account's numbers."""
        # PhoneNumber filters by pattern ('*' is any digit), so only an exact match counts.
        found = self._call(lambda: [
            n for n in self._client.incoming_phone_numbers.list(phone_number=number)
            if n.phone_number == number])
        if not found:
            raise TwilioProblem(f"{number} is not a number of the account {self._account} (check "
                                f"{NUMBERS}, and that TWILIO_ACCOUNT_SID is the account that "
                                "owns it)")
        return _state(found[0])

    def update(self, state: NumberState, changes: list[Difference]) -> NumberState:
        """Set these settings of the number; its settings as Twilio then has them."""
        values = {change.field.name: change.wanted for change in changes}
        return _state(self._call(
            lambda: self._client.incoming_phone_numbers(state.sid).update(**values)))

    def _call(self, request: Callable[[], T]) -> T:
        try:
            return request()
        except TwilioRestException as error:
            raise TwilioProblem(_refusal(error.status, error.code, str(error.msg))) from None
        except TwilioException as error:
            # A list page Twilio refused comes as ("Unable to fetch page", the response).
            answer = error.args[1] if len(error.args) > 1 else None
            if isinstance(answer, Response):
                raise TwilioProblem(_refusal(answer.status_code, *_error_of(answer))) from None
            raise TwilioProblem(_unreachable(error)) from None
        except (RequestException, OSError) as error:
            raise TwilioProblem(_unreachable(error)) from None


def _unreachable(error: Exception) -> str:
    return (f"cannot reach the Twilio API ({type(error).__name__}: {_one_line(str(error))}); "
            "check the network and try again")


def _error_of(answer: Response) -> tuple[object, str]:
    """Twilio's error code and message from the body of a refusal."""
    try:
        body = json.loads(answer.text)
    except ValueError:
        return None, _one_line(answer.text)[:200]
    return body.get("code"), str(body.get("message", ""))


def _refusal(status: int, code: object, message: str) -> str:
    if status == 401:
        return (f"Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (HTTP 401, error "
                f"{code}): check both are the same account's, as the console shows them")
    return f"Twilio answered HTTP {status}, error {code}: {_one_line(message)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
