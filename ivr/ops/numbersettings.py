"""What the helpline's Twilio numbers' voice settings must be, from the environment.

The same environment as the server's (TWILIO_AUTH_TOKEN, IVR_PUBLIC_URL), with
TWILIO_ACCOUNT_SID, IVR_TWILIO_NUMBERS and IVR_FALLBACK_URL; `ivr twilio configure|check`
(ivr/cli/twilio.py) set and compare them through ivr/ops/twilionumber.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

NUMBERS = "IVR_TWILIO_NUMBERS"
FALLBACK = "IVR_FALLBACK_URL"
VOICE_PATH = "/voice"
"""Where Twilio asks for a call's first step (ivr/web/webhook.py)."""
_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")

Value = str | bool


class SettingsProblems(ValueError):
    """Variables missing or unusable, one line each naming the variable and the fix."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


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
