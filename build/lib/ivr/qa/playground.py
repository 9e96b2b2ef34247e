"""The QA playground: a phone keypad page driving the call simulator (off unless enabled).

Served at /playground only when settings.playground is true (IVR_PLAYGROUND=1), and behind
HTTP basic auth when settings.playground_password is set. Calls live in this process's
memory, so run it with one worker: it is a QA tool, never part of a production deployment.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from collections import OrderedDict
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request

from ivr.core.phone import KEYPAD
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.qa.simulator import DEFAULT_BASE_URL
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.settings import Settings

MAX_CALLS = 50
"""Calls kept in memory; the oldest is forgotten first."""


class _Calls:
    def __init__(self) -> None:
        self._calls: OrderedDict[str, Call] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, call: Call) -> str:
        call_id = secrets.token_urlsafe(12)
        with self._lock:
            self._calls[call_id] = call
            while len(self._calls) > MAX_CALLS:
                self._calls.popitem(last=False)
        return call_id

    def get(self, call_id: str) -> Call:
        with self._lock:
            call = self._calls.get(call_id)
        if call is None:
            abort(404)
        return call


def init_app(app: Flask, settings: Settings) -> None:
    """Register /playground when the settings enable it."""
    if not settings.playground:
        return
    if settings.auth_token and not settings.playground_password:
        # A signed (production) server with an open QA page: allowed, but never quietly.
        logging.getLogger(__name__).warning(
            "IVR_PLAYGROUND is on with no IVR_PLAYGROUND_PASSWORD on a server with "
            "TWILIO_AUTH_TOKEN: anyone who can reach /playground can walk the menus"
        )
    calls = _Calls()
    bp = Blueprint("playground", __name__, template_folder="templates")
    base = (settings.public_base_url or DEFAULT_BASE_URL).rstrip("/")

    @bp.before_request
    def _password() -> Response | None:
        return _check_password(settings.playground_password)

    @bp.get("/playground")
    def page() -> str:
        return render_template("playground.html", outcomes=TRANSFER_OUTCOMES)

    @bp.post("/playground/api/call")
    def start() -> Response:
        call = place_call(current_app._get_current_object())  # type: ignore[attr-defined]
        call_id = calls.add(call)
        return _answer(call_id, call, call.start(), base)

    @bp.post("/playground/api/call/<call_id>")
    def step(call_id: str) -> Response:
        call = calls.get(call_id)
        body = request.get_json(silent=True) or {}
        keys = str(body.get("keys", ""))
        outcome = body.get("outcome", "completed")
        if not call.waiting or outcome not in TRANSFER_OUTCOMES or not set(keys) <= set(KEYPAD):
            abort(400)
        call.default_outcome = outcome
        events = call.press(keys) if keys else call.silence()
        return _answer(call_id, call, events, base)

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
    return jsonify({
        "id": call_id,
        "events": [_event_json(e, base) for e in events],
        "waiting": call.waiting,
        "where": call.where,
        "ending": None if ending is None else {"kind": ending.kind, "text": ending.describe()},
    })


def _event_json(event: Event, base: str) -> dict[str, Any]:
    data = event.as_dict()
    audio = data.get("audio")
    if audio and audio.startswith(base + "/"):
        # The page loads the app's own audio from wherever the browser reached the app.
        data["audio"] = audio[len(base):]
    return data
