"""The Twilio webhook: a request in, the call engine once, TwiML out.

URL contract (docs/deploy.md): POST /voice (a call comes in), POST /voice/step?<state>
(Gather action and the Redirect after it: no Digits means silence), POST
/voice/dial-done?<state> (Dial action), POST /voice/whisper?l=<lang> (the agent's side of a
transfer). Flask serves the rest (/healthz, /audio/, and the console and the QA page when
they are switched on).

The voice endpoints are answered here, in front of Flask, in one pass: the form is read
once, the signature checked once, the request becomes one Step (ivr/web/step.py), and its
Answer (the TwiML, and what the statistics count for it) is worked out once per menus
version and kept. Flask's request machinery cost more than the menu logic (issue 13), and
running a step through it after a first look here checked and decoded everything twice
(issue 18).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from typing import Protocol

from twilio.twiml.voice_response import VoiceResponse
from werkzeug.wsgi import get_content_length

from ivr.core import callstate
from ivr.core import flow
from ivr.core.model import Menus
from ivr.core.phone import TEST_CALL_NUMBER
from ivr.core.turns import Event
from ivr.core.turns import SendText
from ivr.core.turns import TextSent
from ivr.core.turns import Turn
from ivr.prompts.index import PromptIndex
from ivr.settings import Settings
from ivr.stats import events
from ivr.stats import recorder
from ivr.stats.events import Count
from ivr.web import signature
from ivr.web import twiml
from ivr.web.answercache import AnswerCache
from ivr.web.links import Links
from ivr.web.links import request_root
from ivr.web.menustore import MenuStore
from ivr.web.metrics import Metrics
from ivr.web.metrics import NoMetrics
from ivr.web.step import ENDPOINTS
from ivr.web.step import Step
from ivr.web.step import first_values
from ivr.web.step import form_pairs
from ivr.web.step import helpline_number
from ivr.web.step import query_params
from ivr.web.step import read_step

log = logging.getLogger(__name__)
WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
MAX_BODY = 64 * 1024
"""Twilio's webhook forms are a few kilobytes; anything far bigger is not Twilio (413)."""
MAX_CACHED_QUERY = 256
"""Our own state URLs are far shorter; a longer query is junk and not worth keeping."""
FORM_TYPE = "application/x-www-form-urlencoded"

TWIML = [("Content-Type", "text/xml; charset=utf-8")]


class Sender(Protocol):
    """Sends the read-out by text message (ivr.web.sms); False when it could not."""

    def send(self, to: str, body: str) -> bool: ...


class DrySender:
    """Offers and 'sends' text messages but never sends anything: for the operator's and
    QA's simulated calls, which hear what a caller would without texting anyone."""

    def send(self, to: str, body: str) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Answer:
    """A step's TwiML and what the statistics count for it, worked out and kept together."""

    body: bytes
    counts: tuple[Count, ...]


class WebhookContext:
    """What the webhook needs per app: settings, the menu store, the answers, the counting."""

    def __init__(self, settings: Settings, store: MenuStore, sms: Sender | None,
                 metrics: Metrics | NoMetrics | None = None) -> None:
        self.settings = settings
        self.store = store
        self.sms = sms
        """Sends the read-out by text message; None: the sms option is not offered."""
        self.metrics = metrics or NoMetrics()
        # Built once at start-up from valid menus, so even a failure while apologising
        # has a complete answer (apology, info line) to send.
        menus = store.current()
        self.last_resort = _xml(twiml.render_apology(menus, menus.call.default_language))
        self.cache: AnswerCache[Step, Answer] = AnswerCache()
        self.stats = recorder.open_recorder(settings.stats_url, settings.stats_flush_seconds,
                                            settings.stats_spool, self.metrics.stats_flushed)
        token, url = settings.auth_token, settings.public_base_url
        # create_app refuses a token without a public URL; no token: local development.
        self.check = signature.SignatureCheck(token, url) if token and url else None
        self._offered: tuple[Menus, Menus] | None = None
        self._offered_lock = threading.Lock()

    def offered(self, menus: Menus) -> Menus:
        """The menus as callers get them: no sms option where no message can be sent."""
        if self.sms is not None or not menus.offers_sms():
            return menus
        last = self._offered
        if last is not None and last[0] is menus:
            return last[1]
        with self._offered_lock:
            self._offered = (menus, menus.without_sms())
            return self._offered[1]


class Webhook:
    """WSGI middleware that answers the voice endpoints; every other request goes to `app`."""

    def __init__(self, app: WSGIApp, context: WebhookContext) -> None:
        self.app = app
        self.context = context

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        endpoint = ENDPOINTS.get(environ.get("PATH_INFO", ""))
        if endpoint is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        status, headers, body = self.respond(endpoint, environ)
        self.context.metrics.answered(endpoint, status, time.perf_counter() - started)
        # A bytes body with its length: Twilio truncates chunked TwiML (error 12100).
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def respond(self, endpoint: str, environ: dict[str, Any]
                ) -> tuple[str, list[tuple[str, str]], bytes]:
        """The status line, headers and body for a request to a voice endpoint."""
        if environ.get("REQUEST_METHOD") != "POST":
            return "405 Method Not Allowed", [("Allow", "POST")], b""
        pairs_or_refusal = _read_form(environ)
        if isinstance(pairs_or_refusal, str):
            return pairs_or_refusal, [], b""
        pairs = pairs_or_refusal
        query = environ.get("QUERY_STRING", "").encode("latin-1")
        check = self.context.check
        given = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        if check is not None and not check.accepts_pairs(given, environ["PATH_INFO"], query,
                                                         pairs):
            return "403 Forbidden", [], b""
        fields = first_values(pairs)
        if endpoint == "whisper":
            return "200 OK", TWIML, self._whisper(query, environ)
        try:
            body = self._answer(endpoint, query, fields, pairs, environ)
        except Exception:
            log.exception("answering %s failed; apologising", environ["PATH_INFO"])
            self.context.metrics.apologised()
            body = self._apology(query, fields)
        return "200 OK", TWIML, body

    def _answer(self, endpoint: str, query: bytes, fields: dict[str, str],
                pairs: list[tuple[str, str]], environ: dict[str, Any]) -> bytes:
        context = self.context
        settings = context.settings
        menus, prompts = context.store.snapshot()
        menus = context.offered(menus)
        step = read_step(endpoint, query, fields, menus, prompts.version,
                         request_root(settings, environ), settings.caller_id)
        answer = context.cache.get(step)
        context.metrics.looked_up(answer is not None)
        if answer is None:
            answer = self._work_out(step, menus, prompts, pairs)
        if fields.get("To") != TEST_CALL_NUMBER:  # our own probe's calls are not callers
            context.stats.add(answer.counts)
        return answer.body

    def _work_out(self, step: Step, menus: Menus, prompts: PromptIndex,
                  pairs: list[tuple[str, str]]) -> Answer:
        """The engine, once: the turn, its TwiML and its counts (kept unless it sent a text)."""
        assert step.event is not None
        links = Links(step.root, step.caller_id, self.context.settings.prompts_base_url)
        before = step.state(menus)
        turn = flow.next_turn(menus, before, step.event)
        counts = _counted(menus, before, step.event, turn)
        if isinstance(turn.then, SendText):
            # Sent now, once: an answer that sends is never kept.
            asked = turn.then.state
            sent = TextSent(self._send_text(pairs, turn.then.body))
            turn = flow.next_turn(menus, asked, sent)
            counts += _counted(menus, asked, sent, turn)
            return Answer(_render(turn, menus, links, prompts), counts)
        answer = Answer(_render(turn, menus, links, prompts), counts)
        if len(step.query) <= MAX_CACHED_QUERY:
            self.context.cache.put(step, answer, len(answer.body))
        return answer

    def _send_text(self, pairs: list[tuple[str, str]], body: str) -> bool:
        # The caller's number is read here only, for this one request (issue 14).
        sms = self.context.sms
        return sms is not None and sms.send(first_values(pairs, ("From",)).get("From", ""), body)

    def _apology(self, query: bytes, fields: dict[str, str]) -> bytes:
        context = self.context
        context.stats.add(events.apology())
        try:
            menus = context.store.current()
            lang = callstate.decode_lang(query_params(query).get("l"), menus)
            caller_id = context.settings.caller_id or helpline_number(fields.get("To", ""))
            return _xml(twiml.render_apology(menus, lang or menus.call.default_language,
                                             caller_id))
        except Exception:
            log.exception("the apology failed too; sending the last-resort answer")
            return context.last_resort

    def _whisper(self, query: bytes, environ: dict[str, Any]) -> bytes:
        """What the info line's agent hears first: the caller's language."""
        context = self.context
        try:
            menus, prompts = context.store.snapshot()
            lang = callstate.decode_lang(query_params(query).get("l"), menus)
            if lang is None and "whisper_no_language" not in menus.texts:
                lang = menus.call.default_language
            links = Links(request_root(context.settings, environ), None,
                          context.settings.prompts_base_url)
            return _xml(twiml.render_whisper(menus, lang, prompts, links))
        except Exception:
            # This runs on the agent's side: on failure, bridge the caller without the whisper.
            log.exception("the whisper failed; bridging without it")
            return _xml(VoiceResponse())


def _read_form(environ: dict[str, Any]) -> list[tuple[str, str]] | str:
    """Twilio's form as (name, value) pairs, or the status line refusing the request."""
    mimetype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    length = get_content_length(environ)
    if not mimetype or not length:
        return []  # no form: a silence to the engine
    if mimetype != FORM_TYPE:
        return "415 Unsupported Media Type"  # Twilio posts urlencoded forms only
    if length > MAX_BODY:
        return "413 Request Entity Too Large"
    body: bytes = environ["wsgi.input"].read(length)
    if len(body) != length:
        return "400 Bad Request"  # the client sent less than it announced
    try:
        return form_pairs(body)
    except ValueError:  # UnicodeDecodeError included: not a form Twilio would send
        return "400 Bad Request"


def _counted(menus: Menus, before: callstate.CallState, event: Event, turn: Turn
             ) -> tuple[Count, ...]:
    try:
        return events.derive(menus, before, event, turn)
    except Exception:  # noqa: BLE001 - a counting bug must never reach the call
        log.exception("statistics could not count a step; it goes uncounted")
        return ()


def _render(turn: Turn, menus: Menus, links: Links, prompts: PromptIndex) -> bytes:
    return _xml(twiml.render_turn(turn, menus, links, prompts))


def _xml(response: VoiceResponse) -> bytes:
    xml: str = response.to_xml()  # twilio is untyped
    return xml.encode("utf-8")
