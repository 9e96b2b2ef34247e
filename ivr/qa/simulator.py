"""A phone call placed against the Flask app in-process, with TwiML interpreted as Twilio does.

Every request carries the parameters Twilio posts and an X-Twilio-Signature computed with
the twilio library's RequestValidator over the public URL, so the signature check, the URLs
and the TwiML of the real webhook are all exercised. Verb semantics follow Twilio's docs
(see shared/reference/twilio-and-gtts.md, sections 1.1-1.5).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable
from typing import Any
from typing import NoReturn
from urllib.parse import urljoin

from flask import Flask

from ivr.core.phone import TRANSFER_OUTCOMES as OUTCOMES
from ivr.qa.listener import Listener
from ivr.qa.listener import listener_for
from ivr.qa.transcript import Ending
from ivr.qa.transcript import Event
from ivr.qa.transcript import Transcript
from ivr.qa.transcript import hangup_ending
from ivr.qa.twimlverbs import LISTENING_VERBS
from ivr.qa.twimlverbs import Gather
from ivr.qa.twimlverbs import dialled
from ivr.qa.twimlverbs import next_url
from ivr.qa.twimlverbs import parse_document
from ivr.qa.webhookclient import CallClient
from ivr.qa.webhookclient import WebhookClient

DEFAULT_BASE_URL = "http://localhost"
# Twilio's magic test numbers: valid E.164 numbers that never belong to a person.
DEFAULT_CALLER = "+15005550006"
DEFAULT_CALLED = "+15005550001"
MAX_STEPS = 300
MAX_FETCHES_WITHOUT_INPUT = 25


class CallOver(Exception):
    """Raised inside the interpreter when the call has ended."""


class Call:
    """One simulated call: start(), then press()/say()/silence() while `waiting`, until `ended`."""

    def __init__(
        self,
        app: Flask | None,
        listener: Listener,
        *,
        auth_token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        caller: str = DEFAULT_CALLER,
        called: str = DEFAULT_CALLED,
        max_steps: int = MAX_STEPS,
        outcome: str = "completed",
        choose_outcome: Callable[[str], str] | None = None,
        on_event: Callable[[Event], None] | None = None,
        client: CallClient | None = None,
    ) -> None:
        # `client` sends the requests elsewhere (a real server); default: `app` in-process.
        if client is None:
            if app is None:
                raise TypeError("a Call needs an app or a client")
            client = WebhookClient(app, auth_token, caller, called)
        self._client = client
        self._listener = listener
        self._base_url = base_url.rstrip("/")
        self._max_steps = max_steps
        self._fetches = 0
        self._since_input = 0
        self._gather: Gather | None = None
        self.default_outcome = outcome
        self.outcomes: deque[str] = deque()
        """Outcomes for the next transfers, used before `default_outcome`."""
        self._choose_outcome = choose_outcome
        self._on_event = on_event
        """Told of each event as it happens (the interactive call and the QA page)."""
        self.transcript = Transcript()
        self.where = "start"

    # -- what a driver calls ---------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        """True while a <Gather> waits for the caller's keys."""
        return self._gather is not None

    @property
    def ended(self) -> bool:
        return self.transcript.ending is not None

    def start(self, path: str = "/voice") -> list[Event]:
        """Place the call: Twilio's first request to the voice URL."""
        return self._drive(lambda: self._follow(urljoin(self._base_url + "/", path), "POST"))

    def press(self, keys: str) -> list[Event]:
        """The caller types `keys` into the waiting <Gather>."""
        gather = self._need_gather()
        first = len(self.transcript.events)
        self._record(Event("pressed", keys=keys, menu=self.where))
        digits, ignored = gather.collect(keys)
        if ignored:
            note = f"keys {ignored!r} were not collected"
            self._record(Event("note", text=note, menu=self.where))
        if not digits:
            return self._drive(lambda: self._no_input(gather), first)
        return self._drive(
            lambda: self._follow(gather.url, gather.method, {"Digits": digits}), first
        )

    def say(self, words: str) -> list[Event]:
        """The caller speaks into the waiting <Gather>; keys-only menus do not hear it."""
        gather = self._need_gather()
        first = len(self.transcript.events)
        self._record(Event("said", text=words, menu=self.where))
        if not gather.speech:
            # Twilio ignores speech in a keys-only <Gather>: to it this is a silence.
            note = "this menu listens for keys only, so the words were not heard"
            self._record(Event("note", text=note, menu=self.where))
            return self._drive(lambda: self._no_input(gather), first)
        spoken = {"SpeechResult": words, "Confidence": "0.9"}
        return self._drive(lambda: self._follow(gather.url, gather.method, spoken), first)

    def silence(self) -> list[Event]:
        """The caller says nothing until the <Gather> times out."""
        gather = self._need_gather()
        first = len(self.transcript.events)
        self._record(Event("silence", seconds=gather.timeout, menu=self.where))
        return self._drive(lambda: self._no_input(gather), first)

    # -- the interpreter -------------------------------------------------------------------

    def _need_gather(self) -> Gather:
        if self._gather is None:
            why = " (it has ended)" if self.ended else ""
            raise RuntimeError(f"the call is not waiting for keys{why}")
        return self._gather

    def _drive(self, step: Callable[[], None], first: int | None = None) -> list[Event]:
        first = len(self.transcript.events) if first is None else first
        self._gather = None
        self._since_input = 0
        try:
            step()
        except CallOver:
            pass
        return self.transcript.events[first:]

    def _no_input(self, gather: Gather) -> None:
        if gather.on_empty:
            self._follow(gather.url, gather.method, {"Digits": ""})
        else:
            # Twilio: "If no input is received before timeout, <Gather> falls through to the
            # next verb"; with nothing after it the call ends.
            self._run(list(gather.rest), gather.doc_url)

    def _follow(self, url: str, method: str, extra: dict[str, str] | None = None) -> None:
        self._run(self._fetch(url, method, extra), url)

    def _run(self, verbs: list[ET.Element], doc_url: str) -> None:
        self.where = self._listener.locate(next_url(verbs, doc_url))
        queue = list(verbs)
        while queue:
            verb = queue.pop(0)
            if verb.tag in LISTENING_VERBS:
                self._listen(verb, doc_url)
            elif verb.tag == "Gather":
                self._start_gather(verb, queue, doc_url)
                return
            elif verb.tag == "Redirect":
                method = verb.get("method", "POST").upper()
                self._follow(self._resolve(doc_url, (verb.text or "").strip()), method)
                return
            elif verb.tag == "Dial":
                if self._dial(verb, doc_url):
                    return
            elif verb.tag in ("Hangup", "Reject"):
                self._end(self._hangup_ending(verb.tag))
            else:
                self._end(Ending("error", detail=f"<{verb.tag}> is not simulated"))
        # Twilio: when the document runs out of verbs, the call ends.
        self._end(self._hangup_ending(None))

    def _listen(self, verb: ET.Element, doc_url: str) -> None:
        if verb.tag == "Pause":
            self._record(Event("pause", seconds=int(verb.get("length", "1")), menu=self.where))
            return
        text, lang, audio = self._listener.heard(verb)
        if audio is not None:
            self._check_audio(urljoin(doc_url, audio))
        loops = int(verb.get("loop", "1") or 1)
        for _ in range(max(loops, 1)):
            self._record(Event("heard", text=text, lang=lang, audio=audio, menu=self.where))

    def _check_audio(self, url: str) -> None:
        """A <Play> URL of the app itself must answer audio, or Twilio fails the call."""
        if not url.startswith(self._base_url + "/"):
            return
        problem = self._client.audio_problem(url)
        if problem is not None:
            self._end(Ending("error", detail=problem))

    def _start_gather(self, verb: ET.Element, rest: list[ET.Element], doc_url: str) -> None:
        for child in verb:
            if child.tag not in LISTENING_VERBS:
                self._end(Ending("error", detail=f"<{child.tag}> cannot be nested in <Gather>"))
            self._listen(child, doc_url)
        self._gather = Gather.read(verb, rest, doc_url)

    def _dial(self, verb: ET.Element, doc_url: str) -> bool:
        """Simulate a <Dial>; True when its action took over the call."""
        number, numbers = dialled(verb)
        outcome = self._next_outcome(number)
        agent = self._whisper(numbers[0], doc_url) if numbers and outcome == "completed" else []
        self._record(Event("transfer", number=number, outcome=outcome, agent_heard=agent,
                           menu=self.where))
        action = verb.get("action")
        if action:
            # Twilio requests the action when the dialled call ends, whatever the outcome.
            self._follow_dial_action(self._resolve(doc_url, action), verb, outcome)
        if outcome == "completed":
            self._end(Ending("transferred", number=number, outcome=outcome))
        return bool(action)

    def _follow_dial_action(self, url: str, verb: ET.Element, outcome: str) -> None:
        extra = self._client.dial_fields(outcome)
        if outcome == "completed":
            # The conversation happened; the caller hangs up after it, so whatever the action
            # answers is fetched (and checked) but not heard.
            self._fetch(url, verb.get("method", "POST").upper(), extra)
            return
        self._follow(url, verb.get("method", "POST").upper(), extra)

    def _next_outcome(self, number: str) -> str:
        if self.outcomes:
            outcome = self.outcomes.popleft()
        elif self._choose_outcome is not None:
            outcome = self._choose_outcome(number)
        else:
            outcome = self.default_outcome
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown transfer outcome {outcome!r}; one of {', '.join(OUTCOMES)}")
        return outcome

    def _whisper(self, number: ET.Element, doc_url: str) -> list[dict[str, str | None]]:
        """Fetch <Number url> as Twilio does for the answering agent; what the agent hears."""
        url = number.get("url")
        if not url:
            return []
        # The agent's leg is a child call: its own sid, the caller's number as caller ID.
        form = self._client.agent_form((number.text or "").strip())
        verbs = self._fetch(self._resolve(doc_url, url), number.get("method", "POST"), form=form)
        return self._listener.agent_heard(verbs)

    # -- HTTP ------------------------------------------------------------------------------

    def _resolve(self, doc_url: str, url: str) -> str:
        # Twilio resolves relative action and Redirect URLs against the current document URL.
        return urljoin(doc_url, url)

    def _fetch(
        self,
        url: str,
        method: str,
        extra: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> list[ET.Element]:
        self._count_fetch(url)
        params = dict(form or self._client.form, **(extra or {}))
        status, body = self._client.request(url, method, params)
        if status != 200:
            self._end(Ending("error", detail=f"HTTP {status} from {method} {url}"))
        try:
            return parse_document(body)
        except ValueError as error:
            self._end(Ending("error", detail=f"not TwiML from {url}: {error}"))

    def _count_fetch(self, url: str) -> None:
        self._fetches += 1
        self._since_input += 1
        if self._fetches > self._max_steps:
            self._end(Ending("loop", detail=f"more than {self._max_steps} requests in one call"))
        if self._since_input > MAX_FETCHES_WITHOUT_INPUT:
            detail = f"{MAX_FETCHES_WITHOUT_INPUT} requests without waiting for the caller"
            self._end(Ending("loop", detail=f"{detail}, last {url}"))
        self._client.form["CallStatus"] = "ringing" if self._fetches == 1 else "in-progress"

    # -- the transcript --------------------------------------------------------------------

    def _record(self, event: Event) -> None:
        self.transcript.events.append(event)
        if self._on_event is not None:
            self._on_event(event)

    def _hangup_ending(self, verb: str | None) -> Ending:
        return hangup_ending(self.transcript.events, self._listener.emergency_texts, verb)

    def _end(self, ending: Ending) -> NoReturn:
        ending.menu = ending.menu or self.where
        self.transcript.ending = ending
        self._gather = None
        raise CallOver()


def place_call(app: Flask, **options: Any) -> Call:
    """A call to the IVR's own app (create_app): its menus, prompts, auth token and URL."""
    settings = app.config["IVR_SETTINGS"]
    menus = app.extensions["ivr"].store.current()
    options.setdefault("auth_token", settings.auth_token)
    options.setdefault("base_url", settings.public_base_url or DEFAULT_BASE_URL)
    return Call(app, listener_for(menus, settings.prompts_dir), **options)

