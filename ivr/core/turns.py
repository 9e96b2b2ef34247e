"""What a caller did (events) and what happens next (turns): the engine's input and output.

Pure data, shared by the engine's modules (flow, texting, menuturns), the web layer that
turns requests into events and turns into TwiML, and the statistics that count them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.callstate import CallState
from ivr.core.script import Line
from ivr.core.speechmatch import SpeechListen


@dataclass(frozen=True, slots=True)
class Arrive:
    """The caller arrives in the state's menu (start of a call).

    `lang`: the language of the number they dialled (numbers.lines), which skips the
    language menu; None starts with the language menu.
    """

    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Press:
    """The caller pressed something; anything but one phone key is a wrong key."""

    digits: str


@dataclass(frozen=True, slots=True)
class Silence:
    """The menu's time for a key ran out."""


@dataclass(frozen=True, slots=True)
class DialEnded:
    """A transfer ended with Twilio's DialCallStatus."""

    status: str


@dataclass(frozen=True, slots=True)
class Spoke:
    """The caller said something, already matched to the key it stands for (None: no match).

    The words themselves never enter the engine (ivr.core.speechmatch matches them where
    the request is read): an event, a cache key or a count made from it cannot keep what a
    caller said (issue 14, issue 18 item 6).
    """

    key: str | None


@dataclass(frozen=True, slots=True)
class TextSent:
    """The web layer tried to send the text message a SendText asked for (issue 14)."""

    ok: bool


Event = Arrive | Press | Silence | DialEnded | Spoke | TextSent


@dataclass(frozen=True, slots=True)
class Listen:
    """Wait for one key; both a key and silence come back as a step from `state`."""

    state: CallState
    timeout: int
    speech: SpeechListen | None = None
    """How to listen for speech as well (None: keys only, the default)."""
    hear_first: int = 0
    """The turn's first lines are said before listening, so no key cuts them short."""


@dataclass(frozen=True, slots=True)
class Transfer:
    """Put the caller through to `number`; if the transfer fails, continue from `state`."""

    number: str
    state: CallState
    timeout: int
    whisper_lang: str | None
    """The caller's language, told to the answering agent first ("": the caller chose no
    language, which the agent is told; None: no whisper)."""


@dataclass(frozen=True, slots=True)
class SendText:
    """Send `body` by text message to the caller's phone, then answer TextSent in `state`.

    The web layer does the sending (the core does no I/O); nothing is said before it.
    """

    body: str
    state: CallState


@dataclass(frozen=True, slots=True)
class Hangup:
    """End the call."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What the caller hears, then what happens (Listen lets them barge in on the lines)."""

    lines: tuple[Line, ...]
    then: Listen | Transfer | Hangup | SendText
    wrong_key: bool = False
    """The engine heard the caller's key (or words) as none of this menu's: a retry, a
    cancelled text message, a key whose menu changed under the call. The statistics count
    it as a wrong key from this, without asking the engine a second time."""
