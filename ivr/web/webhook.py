"""The Twilio webhook: requests in, the call engine, TwiML out.

URL contract (docs/deploy.md): POST /voice (a call comes in), POST /voice/step?<state>
(Gather action and the Redirect after it: no Digits means silence), POST
/voice/dial-done?<state> (Dial action), POST /voice/whisper?l=<lang> (the agent's side of a
transfer), GET /healthz. Besides the signature check (the whole form, as Twilio signed it),
only Digits, SpeechResult (never logged or kept), DialCallStatus and To are read from the
form: To is the helpline's own number, shown to the info line instead of the caller's
(ivr/web/privacy.py). From is read only when a caller confirms a text message, and only to
send it (ivr/web/sms.py).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import jsonify
from flask import request
from flask import url_for
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.core import callstate
from ivr.core import flow
from ivr.core import speechmatch
from ivr.core.callstate import CallState
from ivr.core.model import Menus
from ivr.core.phone import DIAL_STATUSES
from ivr.core.phone import KEYPAD
from ivr.prompts.index import PromptIndex
from ivr.settings import Settings
from ivr.stats import recorder
from ivr.web import privacy
from ivr.web import signature
from ivr.web import sms
from ivr.web import twiml
from ivr.web.answercache import AnswerCache
from ivr.web.bodylimit import BodyLimit
from ivr.web.menustore import MenuStore

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__)
MAX_BODY = 64 * 1024
"""Twilio's webhook forms are a few kilobytes; anything far bigger is not Twilio (413)."""
NOT_A_KEY = "?"
"""What the engine is given for any Digits that are not one phone key: it hears them alike."""
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_CACHED_QUERY = 256
"""Our own state URLs are far shorter; a longer query is junk and not worth keeping."""


class WebhookContext:
    """What the blueprint needs per app: settings, the menu store, the last-resort answer."""

    def __init__(self, settings: Settings, store: MenuStore) -> None:
        self.settings = settings
        self.store = store
        # Built once at start-up from valid menus, so even a failure while apologising
        # has a complete answer (apology, info line) to send.
        menus = store.current()
        self.last_resort = _xml(twiml.render_apology(menus, menus.call.default_language))
        self.cache = AnswerCache()
        self.stats = recorder.open_recorder(settings.stats_url,
                                            settings.stats_flush_seconds)
        token, url = settings.auth_token, settings.public_base_url
        # create_app refuses a token without a public URL; no token: local development.
        self.check = signature.SignatureCheck(token, url) if token and url else None
        self.sms = sms.TextSender.from_env()
        """Sends the read-out by text message; None: the sms option is not offered."""

    def offered(self, menus: Menus) -> Menus:
        """The menus as callers get them: no sms option where no message can be sent."""
        return menus if self.sms is not None or not menus.offers_sms() else menus.without_sms()


class WebLinks:
    """Absolute URLs for the next steps; the signature check later sees the same URLs."""

    def __init__(self, settings: Settings, caller_id: str | None = None) -> None:
        self.base = (settings.public_base_url or "").rstrip("/")
        self.prompts_base = (settings.prompts_base_url or "").rstrip("/")
        self.caller_id = settings.caller_id or caller_id

    def _url(self, endpoint: str, **params: str) -> str:
        # Typed as plain **values so mypy does not match them to url_for's _external etc.
        values: dict[str, Any] = params
        if self.base:
            # The public base already holds any prefix: a SCRIPT_NAME from the request
            # must not leak into the links (nor into the answers cached for every caller).
            return self.base + url_for(endpoint, **values)[len(request.script_root):]
        return url_for(endpoint, _external=True, **values)

    def step(self, state: CallState) -> str:
        return self._url("voice.step", **callstate.encode(state))

    def dial_done(self, state: CallState) -> str:
        return self._url("voice.dial_done", **callstate.encode(state))

    def whisper(self, lang: str) -> str:
        return self._url("voice.whisper", l=lang)

    def audio(self, filename: str) -> str:
        if self.prompts_base:
            return f"{self.prompts_base}/{filename}"
        root = self.base or request.host_url.rstrip("/") + request.script_root
        return f"{root}/audio/{filename}"


def init_app(app: Flask, settings: Settings) -> None:
    """Register the webhook: menu store, signature check, proxy handling, privacy filter."""
    # Logging first: a start on a broken menus.yaml logs why, through gunicorn's error log.
    _log_through_gunicorn()
    privacy.install()
    store = MenuStore(
        settings.menus_path,
        settings.prompts_dir,
        settings.allow_offline_prompts,
        settings.reload_interval,
        prompts_on_disk=settings.prompts_base_url is None,
    )
    app.extensions["ivr"] = WebhookContext(settings, store)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.wsgi_app = BodyLimit(app.wsgi_app, limit)  # type: ignore[method-assign]
    if settings.proxy_hops > 0:
        # Only the client address and scheme: host, port and prefix come from
        # IVR_PUBLIC_URL, never from a header (issue 8 item 5).
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _log_through_gunicorn()
    privacy.install()
    app.register_blueprint(bp)
    if app.extensions["ivr"].check is not None:
        from ivr.web import fastpath  # it builds on this module

        # Outermost: an answer already rendered goes out before Flask or ProxyFix run.
        app.wsgi_app = fastpath.FastPath(app.wsgi_app, app.extensions["ivr"])  # type: ignore[method-assign]


def _log_through_gunicorn() -> None:
    # Under gunicorn nothing configures the root logger, so reload errors and apologies
    # would only reach stderr through logging's last resort; use gunicorn's error log.
    gunicorn = logging.getLogger("gunicorn.error")
    ivr_log = logging.getLogger("ivr")
    if gunicorn.handlers and not ivr_log.handlers:
        ivr_log.handlers = list(gunicorn.handlers)
        ivr_log.setLevel(gunicorn.level)
        ivr_log.propagate = False


def _ivr() -> WebhookContext:
    state: WebhookContext = current_app.extensions["ivr"]
    return state


def _xml(response: VoiceResponse) -> bytes:
    xml: str = response.to_xml()  # twilio is untyped
    return xml.encode("utf-8")


def _twiml(body: bytes) -> Response:
    # A bytes body gets a Content-Length: Twilio truncates chunked TwiML (error 12100).
    return Response(body, mimetype="text/xml")


@bp.before_request
def _check_signature() -> None:
    check = _ivr().check
    if check is None or request.endpoint == "voice.health":
        return
    # request.path, not script_root + path: the public URL holds the prefix.
    given = request.headers.get("X-Twilio-Signature", "")
    if not check.accepts(given, request.path, request.query_string, request.form):
        abort(Response(b"", status=403))


def _answering(view: Callable[..., bytes]) -> Callable[..., Response]:
    """Any failure while answering becomes an apology and the info line, with HTTP 200."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return _twiml(view(*args, **kwargs))
        except HTTPException:
            raise
        except Exception:
            log.exception("answering %s failed; apologising", request.path)
            return _twiml(_apology())

    return wrapper


def helpline_number(called: str) -> str | None:
    """The number the caller dialled (Twilio's To): ours, shown to the info line instead."""
    return called if _E164.match(called) else None


def _helpline_number() -> str | None:
    return helpline_number(request.form.get("To", ""))


def _apology() -> bytes:
    ivr = _ivr()
    ivr.stats.apology()
    try:
        menus = ivr.store.current()
        lang = callstate.decode_lang(request.args.get("l"), menus) or menus.call.default_language
        caller_id = ivr.settings.caller_id or _helpline_number()
        return _xml(twiml.render_apology(menus, lang, caller_id))
    except Exception:
        log.exception("the apology failed too; sending the last-resort answer")
        return ivr.last_resort


def event_for(endpoint: str, field: Callable[[str], str | None], menus: Menus) -> flow.Event:
    """What the caller did, from the form (`field` looks one up): for the views and the fast
    path alike, so both find the same cached answer."""
    if endpoint == "voice.voice":
        # A number of its own (numbers.lines) starts in its language.
        return flow.Arrive(menus.lines.get(helpline_number(field("To") or "") or ""))
    if endpoint == "voice.step":
        digits = field("Digits")
        said = (field("SpeechResult") or "").strip()
        if said and not digits:
            # Only a <Gather input="dtmf speech"> sends it; matched to a key in the core.
            return flow.Spoke(said[: speechmatch.MAX_SAID])
        if not digits:
            return flow.Silence()
        # The event, not the raw field, keys the cache: up to 64 KB of junk Digits are one
        # wrong key to the engine and must be one cache entry too (issue 8 item 8).
        return flow.Press(digits if len(digits) == 1 and digits in KEYPAD else NOT_A_KEY)
    status = field("DialCallStatus") or ""
    return flow.DialEnded(status if status in DIAL_STATUSES else "")


def answer_key(menus: Menus, prompts: PromptIndex, root: str, caller_id: str | None,
               endpoint: str, query: bytes, event: flow.Event) -> tuple[object, ...]:
    """What an answer depends on: its key in the cache (Flask's view and the fast path)."""
    # The raw query string stands for the state, so a cached answer needs no decoding.
    return (menus.version, prompts.version, root, caller_id, endpoint, query, event)


def _answer(endpoint: str) -> bytes:
    """The TwiML answering what the caller did in the state this request's URL carries."""
    ivr = _ivr()
    menus, prompts = ivr.store.snapshot()
    event = event_for(endpoint, request.form.get, menus)
    # Each answer is rendered once per menus version (the read-out is the costliest step,
    # and the one callers repeat); ivr.web.fastpath serves the cached ones without Flask.
    root = ivr.settings.public_base_url or request.host_url + request.script_root
    links = WebLinks(ivr.settings, _helpline_number())
    key = answer_key(menus, prompts, root, links.caller_id, endpoint, request.query_string,
                     event)
    # What a caller said is never kept, not even as a cache key (issue 14).
    body = None if isinstance(event, flow.Spoke) else ivr.cache.get(key)
    if body is None:
        menus = ivr.offered(menus)
        start = endpoint == "voice.voice"
        state = CallState.start() if start else callstate.decode(request.args, menus)

        turn = flow.next_turn(menus, state, event)
        if isinstance(turn.then, flow.SendText):
            # Sent now, once: an answer that sends is never cached.
            sent = _send_text(ivr, turn.then.body)
            turn = flow.next_turn(menus, turn.then.state, flow.TextSent(sent))
            ivr.stats.step(menus, request.query_string, event)
            return _xml(twiml.render_turn(turn, menus, links, prompts))
        body = _xml(twiml.render_turn(turn, menus, links, prompts))
        # What a caller said is never kept, not even as a cache key (issue 14).
        if len(request.query_string) <= MAX_CACHED_QUERY and not isinstance(event, flow.Spoke):
            ivr.cache.put(key, body)
    ivr.stats.step(menus, request.query_string, event)
    return body


def _send_text(ivr: WebhookContext, body: str) -> bool:
    # The caller's number is read here only, for this one request (issue 14).
    return ivr.sms is not None and ivr.sms.send(request.form.get("From", ""), body)


@bp.post("/voice")
@_answering
def voice() -> bytes:
    return _answer("voice.voice")


@bp.post("/voice/step")
@_answering
def step() -> bytes:
    return _answer("voice.step")


@bp.post("/voice/dial-done")
@_answering
def dial_done() -> bytes:
    return _answer("voice.dial_done")


@bp.post("/voice/whisper")
def whisper() -> Response:
    ivr = _ivr()
    try:
        menus, prompts = ivr.store.snapshot()
        lang = callstate.decode_lang(request.args.get("l"), menus)
        if lang is None and "whisper_no_language" not in menus.texts:
            lang = menus.call.default_language
        return _twiml(_xml(twiml.render_whisper(menus, lang, prompts, WebLinks(ivr.settings))))
    except Exception:
        # This runs on the agent's side: on failure, bridge the caller without the whisper.
        log.exception("the whisper failed; bridging without it")
        return _twiml(_xml(VoiceResponse()))


@bp.get("/healthz")
def health() -> Response:
    return jsonify(_ivr().store.health())
