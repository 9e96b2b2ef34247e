"""The helpline's Twilio numbers: what their voice settings must be, what they are, the change.

What they must be comes from the environment, as the webhook's own settings do; what they
are is read and changed through the twilio library's REST client (IncomingPhoneNumbers), so
a test puts a fake at its HTTP boundary (twilio.http.HttpClient), as the text messages do.
`ivr twilio configure` and `ivr twilio check` (ivr/cli/twilio.py) are the commands.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

import phonenumbers
import requests
from requests import RequestException
from twilio.base.exceptions import TwilioException
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

TIMEOUT = 15.0
NUMBERS = "IVR_TWILIO_NUMBERS"
FALLBACK = "IVR_FALLBACK_URL"
VOICE_PATH = "/voice"
"""Where Twilio asks for a call's first step (ivr/web/webhook.py)."""
_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")

Value = str | bool
T = TypeVar("T")


class SettingsProblems(ValueError):
    """Variables missing or unusable, one line each naming the variable and the fix."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class TwilioProblem(Exception):
    """Twilio refused or could not be reached; the message is one line with the fix."""


@dataclass(frozen=True)
class Field:
    """One voice setting of a number: its name in the library and the API, and in the
    console (Phone Numbers > Manage > Active numbers > the number > Voice configuration)."""

    name: str
    form: str
    console: str


FIELDS = (
    Field("voice_url", "VoiceUrl", "A call comes in"),
    Field("voice_method", "VoiceMethod", "A call comes in, HTTP"),
    Field("voice_fallback_url", "VoiceFallbackUrl", "Primary handler fails"),
    Field("voice_fallback_method", "VoiceFallbackMethod", "Primary handler fails, HTTP"),
    Field("status_callback", "StatusCallback", "Call status changes"),
    Field("voice_application_sid", "VoiceApplicationSid", "Configure with: TwiML App"),
    Field("voice_caller_id_lookup", "VoiceCallerIdLookup", "Caller Name Lookup"),
)


@dataclass(frozen=True)
class NumberSettings:
    """What every helpline number's voice settings must be."""

    account_sid: str
    auth_token: str
    numbers: tuple[str, ...]
    public_url: str
    fallback_url: str

    @property
    def voice_url(self) -> str:
        return self.public_url.rstrip("/") + VOICE_PATH

    def wanted(self) -> dict[str, Value]:
        return {
            "voice_url": self.voice_url,
            # POST, never GET: Twilio sends the caller's number (From) with every request, and
            # with GET it would stand in the URL, in every access log on the way.
            "voice_method": "POST",
            "voice_fallback_url": self.fallback_url,
            "voice_fallback_method": "POST",
            # The webhook takes no status callbacks; one left set would send every caller's
            # number to whatever it names.
            "status_callback": "",
            # A TwiML App on the number overrides its voice URLs.
            "voice_application_sid": "",
            # A caller-name lookup costs per call and sends the caller's name, which the
            # webhook never reads.
            "voice_caller_id_lookup": False,
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NumberSettings:
        """The settings from the environment, or SettingsProblems naming every variable."""
        env = os.environ if env is None else env
        problems: list[str] = []
        sid = _required(env, "TWILIO_ACCOUNT_SID", problems,
                        "the account SID from the Twilio console's home page, AC...")
        if sid and not _ACCOUNT_SID.fullmatch(sid):
            problems.append(f"TWILIO_ACCOUNT_SID={sid!r} is not an account SID (AC and 32 hex "
                            "digits, from the Twilio console's home page)")
        token = _required(env, "TWILIO_AUTH_TOKEN", problems,
                          "the account's auth token, the one the webhook checks signatures with")
        numbers = _numbers(_required(env, NUMBERS, problems,
                                     "the helpline's Twilio number in international form, "
                                     "e.g. +358XXXXXXXXX; several separated by commas"),
                           problems)
        public = _https_url(env, "IVR_PUBLIC_URL", problems,
                            "the URL Twilio calls, as the webhook has it, e.g. "
                            "https://ivr.example.org")
        fallback = _https_url(env, FALLBACK, problems,
                              "where `ivr fallback` is hosted, on another host than the "
                              "webhook, e.g. https://static.example.org/ivr-fallback.xml")
        if public and fallback and same_host(public, fallback):
            problems.append(f"{FALLBACK}={fallback!r} is on the webhook's own host "
                            f"{_host(public)}: an outage of the webhook would take it down too "
                            "(host it elsewhere: docs/deploy.md, \"The fallback document\")")
        if problems:
            raise SettingsProblems(problems)
        return cls(sid, token, numbers, public, fallback)


def _required(env: Mapping[str, str], name: str, problems: list[str], what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        problems.append(f"{name} is not set ({what})")
    return value


def _numbers(value: str, problems: list[str]) -> tuple[str, ...]:
    numbers = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            parsed = phonenumbers.parse(item, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            problems.append(f"{NUMBERS}: {item!r} is not a phone number in international form "
                            "(+ and the country code, e.g. +358XXXXXXXXX)")
            continue
        numbers.append(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    if value and not value.replace(",", "").strip():
        problems.append(f"{NUMBERS}={value!r} holds no number (the helpline's Twilio number in "
                        "international form, e.g. +358XXXXXXXXX)")
    return tuple(dict.fromkeys(numbers))


def _https_url(env: Mapping[str, str], name: str, problems: list[str], what: str) -> str:
    value = _required(env, name, problems, what)
    if value and (urlsplit(value).scheme != "https" or not urlsplit(value).hostname):
        problems.append(f"{name}={value!r} is not an https URL ({what}; Twilio needs https "
                        "with a certificate it trusts)")
        return ""
    return value


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def same_host(first: str, second: str) -> bool:
    """Whether two URLs name one host (by name: two names of one machine look different)."""
    return _host(first) == _host(second)


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
