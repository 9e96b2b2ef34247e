"""One webhook request as one value: which endpoint, which state (its query string), what
the caller did, under which menus. Read once from Twilio's form; it is also the key of the
rendered answer, so an answer is worked out once per menus version.

Of the form only Digits, SpeechResult (matched to a key here and dropped), DialCallStatus and
To are read: To is the helpline's own number, shown to the info line instead of the
caller's. From is read only when a caller confirms a text message, to send it (webhook.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler

from ivr.core import callstate
from ivr.core import speechmatch
from ivr.core.callstate import CallState
from ivr.core.model import Menus
from ivr.core.phone import DIAL_STATUSES
from ivr.core.phone import KEYPAD
from ivr.core.turns import Arrive
from ivr.core.turns import DialEnded
from ivr.core.turns import Event
from ivr.core.turns import Press
from ivr.core.turns import Silence
from ivr.core.turns import Spoke

ENDPOINTS = {"/voice": "voice", "/voice/step": "step", "/voice/dial-done": "dial_done",
             "/voice/whisper": "whisper"}
"""The webhook's paths (docs/deploy.md): a call comes in, a Gather's action and the Redirect
after it (no Digits means silence), a Dial's action, the agent's side of a transfer."""
PATHS = {endpoint: path for path, endpoint in ENDPOINTS.items()}
FIELDS = ("Digits", "SpeechResult", "DialCallStatus", "To")
NOT_A_KEY = "?"
"""What the engine is given for any Digits that are not one phone key: it hears them alike."""
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True, slots=True)
class Step:
    """What an answer depends on, and nothing else: the key of the answer cache.

    The raw query string stands for the call state, so a step whose answer is rendered
    needs no decoding; `event` holds no words (a spoken answer is its matched key).
    """

    endpoint: str
    query: bytes
    event: Event | None
    """None for the whisper, which answers the agent, not a caller's action."""
    caller_id: str | None
    """The number the info line sees: the helpline's own, never the caller's."""
    root: str
    """The public URL the answer's links start with."""
    menus_version: str
    prompts_version: str

    def state(self, menus: Menus) -> CallState:
        """The call state this step's URL carries (the start for a new call)."""
        if self.endpoint == "voice":
            return CallState.start()
        return callstate.decode(query_params(self.query), menus)


def form_pairs(body: bytes) -> list[tuple[str, str]]:
    """Twilio's urlencoded form, decoded exactly as Werkzeug decodes a form (UnicodeDecodeError
    or ValueError for a body that is not one)."""
    return parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")


def query_params(query: bytes) -> dict[str, str]:
    """The first value of each query parameter, as Werkzeug's request.args.get gives it."""
    pairs = parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(reversed(pairs))


def first_values(pairs: list[tuple[str, str]], names: tuple[str, ...] = FIELDS
                 ) -> dict[str, str]:
    """The first value of each of these fields, as request.form.get gives it."""
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in names and name not in found:
            found[name] = value
    return found


def helpline_number(called: str) -> str | None:
    """The number the caller dialled (Twilio's To): ours, shown to the info line instead."""
    return called if _E164.match(called) else None


def read_step(endpoint: str, query: bytes, fields: Mapping[str, str], menus: Menus,
              prompts_version: str, root: str, caller_id: str | None) -> Step:
    """The step of a request to `endpoint` with this query string and form `fields`."""
    caller_id = caller_id or helpline_number(fields.get("To", ""))
    event = None if endpoint == "whisper" else _event(endpoint, query, fields, menus)
    return Step(endpoint, query, event, caller_id, root, menus.version, prompts_version)


def _event(endpoint: str, query: bytes, fields: Mapping[str, str], menus: Menus) -> Event:
    if endpoint == "voice":
        # A number of its own (numbers.lines) starts in its language.
        return Arrive(menus.lines.get(helpline_number(fields.get("To", "")) or ""))
    if endpoint == "step":
        digits = fields.get("Digits")
        said = (fields.get("SpeechResult") or "").strip()
        if said and not digits:
            # Only a <Gather input="dtmf speech"> sends it: matched to a key in the caller's
            # menu here, and the words go no further (never logged, cached or counted).
            state = callstate.decode(query_params(query), menus)
            return Spoke(speechmatch.key_for(menus, state, said[: speechmatch.MAX_SAID]))
        if not digits:
            return Silence()
        # The event, not the raw field, keys the cache: up to 64 KB of junk Digits are one
        # wrong key to the engine and must be one cache entry too (issue 8 item 8).
        return Press(digits if len(digits) == 1 and digits in KEYPAD else NOT_A_KEY)
    status = fields.get("DialCallStatus") or ""
    return DialEnded(status if status in DIAL_STATUSES else "")
