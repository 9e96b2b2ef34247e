"""The QA playground: a phone keypad page driving the call simulator (off unless enabled).

Served at /playground only when settings.playground is true (IVR_PLAYGROUND=1), and behind
HTTP basic auth when settings.playground_password is set. Calls live in this process's
memory, so run it with one worker: it is a QA tool, never part of a production deployment.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request

from ivr.core import bidi
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.qa.callrecord import CallRecord
from ivr.qa.callrecord import NotReplayable
from ivr.qa.callrecord import Played
from ivr.qa.callrecord import one_per_sentence
from ivr.qa.callrecord import scenario_text
from ivr.qa.keypath import BadPath
from ivr.qa.keypath import answer
from ivr.qa.keypath import parse_answer
from ivr.qa.simulator import DEFAULT_BASE_URL
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.settings import Settings

MAX_CALLS = 50
"""Calls kept in memory; the oldest is forgotten first."""


LOST = ("The server no longer knows this call: it was restarted, or the call was forgotten "
        "among many. Start a new call.")


class _Session:
    def __init__(self, call: Call) -> None:
        self.call = call
        self.record = CallRecord()


class _Calls:
    """The calls in progress (app.extensions["ivr_playground_calls"]), newest last."""

    def __init__(self) -> None:
        self._calls: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, session: _Session) -> str:
        call_id = secrets.token_urlsafe(12)
        with self._lock:
            self._calls[call_id] = session
            while len(self._calls) > MAX_CALLS:
                self._calls.popitem(last=False)
        return call_id

    def get(self, call_id: str) -> _Session:
        with self._lock:
            session = self._calls.get(call_id)
        if session is None:
            # The page tells the tester what happened and offers a new call (issue 12).
            abort(Response(json.dumps({"error": "lost", "message": LOST}), 404,
                           mimetype="application/json"))
        return session

    def clear(self) -> None:
        """Forget every call, as a restart of the server does."""
        with self._lock:
            self._calls.clear()


def init_app(app: Flask, settings: Settings, twin: Callable[[], Flask]) -> None:
    """Register /playground when the settings enable it; its calls go to `twin`, the
    webhook's twin (statistics off, no text message ever sent)."""
    if not settings.playground:
        return
    if settings.auth_token and not settings.playground_password:
        # A signed (production) server with an open QA page: allowed, but never quietly.
        logging.getLogger(__name__).warning(
            "IVR_PLAYGROUND is on with no IVR_PLAYGROUND_PASSWORD on a server with "
            "TWILIO_AUTH_TOKEN: anyone who can reach /playground can walk the menus"
        )
    calls = _Calls()
    app.extensions["ivr_playground_calls"] = calls
    bp = Blueprint("playground", __name__, template_folder="templates")
    base = (settings.public_base_url or DEFAULT_BASE_URL).rstrip("/")

    @bp.before_request
    def _password() -> Response | None:
        return _check_password(settings.playground_password)

    @bp.get("/playground")
    def page() -> str:
        no_audio = len(current_app.extensions["ivr"].store.prompts()) == 0
        return render_template("playground.html", outcomes=TRANSFER_OUTCOMES, no_audio=no_audio,
                               offline_allowed=settings.allow_offline_prompts)

    @bp.post("/playground/api/call")
    def start() -> Response:
        session = _Session(place_call(twin()))
        call_id = calls.add(session)
        session.record.start = session.call.start()
        return _answer(call_id, session.call, session.record.start, base)

    @bp.post("/playground/api/call/<call_id>")
    def step(call_id: str) -> Response:
        session = calls.get(call_id)
        call = session.call
        body = request.get_json(silent=True) or {}
        outcome = body.get("outcome", "completed")
        try:
            given = parse_answer(str(body.get("keys", "")))
        except BadPath:
            abort(400)
        if not call.waiting or outcome not in TRANSFER_OUTCOMES or given.words:
            abort(400)  # the keypad has keys and silence; words are for `ivr call`
        call.default_outcome = outcome
        events = answer(call, given)
        session.record.steps.append(Played(given.keys, events,
                                           call.where if call.waiting else None))
        return _answer(call_id, call, events, base)

    @bp.get("/playground/api/call/<call_id>/scenario")
    def scenario(call_id: str) -> Response:
        session = calls.get(call_id)
        call = session.call
        try:
            text = scenario_text(session.record, call.transcript.ending,
                                 call.where if call.waiting else None)
        except NotReplayable as error:
            return Response(f"# {error}\n", 409, mimetype="text/plain")
        return Response(text, mimetype="text/yaml")

    app.register_blueprint(bp)


def _check_password(password: str | None) -> Response | None:
    if password is None:
        return None
    auth = request.authorization
    given = (auth.password or "") if auth is not None else ""
    if auth is not None and hmac.compare_digest(given.encode(), password.encode()):
        return None
    return Response(b"", 401, {"WWW-Authenticate": 'Basic realm="IVR playground"'})


def _answer(call_id: str, call: Call, events: list[Event], base: str) -> Response:
    ending = call.transcript.ending
    # Each sentence with its language's direction and its left-to-right parts (numbers,
    # keys): the page lays an Arabic sentence out right to left (issue 23 item 9).
    menus = current_app.extensions["ivr"].store.menus()
    return jsonify({
        "id": call_id,
        "events": [bidi.annotated(_local_audio(e, base), menus)
                   for e in one_per_sentence(events)],
        "waiting": call.waiting,
        "where": call.where,
        "ending": None if ending is None else {"kind": ending.kind, "text": ending.describe()},
    })


def _local_audio(data: dict[str, Any], base: str) -> dict[str, Any]:
    audio = data.get("audio")
    if audio and audio.startswith(base + "/"):
        # The page loads the app's own audio from wherever the browser reached the app.
        data["audio"] = audio[len(base):]
    return data
