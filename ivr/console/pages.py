"""The operator console at /console/: status, diagram, texts, what a caller hears, statistics.

Registered by the app factory only when IVR_CONSOLE_PASSWORD is set; every page is behind
HTTP basic auth. Read-only: nothing here changes the menus, the prompts or a call, so GET
forms need no CSRF token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import graphviz
from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from markupsafe import Markup

from ivr.console import caller
from ivr.console import status
from ivr.console import texts
from ivr.console import versions
from ivr.console.auth import refuse_unless_operator
from ivr.console.graph import render_graph
from ivr.console.lockout import Lockout
from ivr.console.stats import period
from ivr.console.stats import render_stats
from ivr.console.stats import stats_enabled
from ivr.core.model import Menus
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.menus.diagram import build_graph
from ivr.qa.keypath import BadPath
from ivr.qa.keypath import parse_path
from ivr.settings import Settings
from ivr.web.history import History
from ivr.web.history import HistoryError
from ivr.web.menustore import MenuStore

PAGES = (("status", "Status"), ("diagram", "Diagram"), ("texts", "Texts"),
         ("caller", "What a caller hears"), ("history", "History"))


class _Pictures:
    """Drawn diagrams by (menus version, language, format): dot takes a while per drawing."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[str, str, str], bytes] = {}
        self._lock = threading.Lock()

    def get(self, menus: Menus, lang: str, fmt: str) -> bytes:
        key = (menus.version, lang, fmt)
        with self._lock:
            if key not in self._drawn:
                if len(self._drawn) > 32:
                    self._drawn.clear()
                self._drawn[key] = render_graph(build_graph(menus, lang), fmt)
            return self._drawn[key]


def init_app(app: Flask, settings: Settings, twin: Callable[[], Flask]) -> None:
    """Register /console/ (ivr/app.py calls this only when the console has a password);
    `twin` gives the webhook's twin that "what a caller hears" calls."""
    assert settings.console_password, "the console is never served without a password"
    password, user = settings.console_password, settings.console_user
    bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
                   static_folder="static")
    pictures = _Pictures()
    lockout = Lockout()
    app.extensions["ivr.console.lockout"] = lockout  # (tests set its clock)

    @bp.before_request
    def _operator_only() -> Response | None:
        return refuse_unless_operator(user, password, lockout)

    policy = content_security_policy(settings.prompts_base_url)

    @bp.after_request
    def _private(response: Response) -> Response:
        # What the menus and the statistics say stays out of shared caches and frames; no
        # script runs but the console's own files, whatever a text in menus.yaml holds.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = policy
        return response

    @bp.context_processor
    def _navigation() -> dict[str, object]:
        pages = list(PAGES) + ([("stats", "Statistics")] if stats_enabled(settings) else [])
        return {"pages": pages, "keypad": settings.playground}

    bp.add_url_rule("/", "status", lambda: _status_page(settings))
    bp.add_url_rule("/diagram", "diagram", lambda: _diagram_page(pictures))
    bp.add_url_rule("/diagram.<fmt>", "picture", lambda fmt: _picture(pictures, fmt))
    bp.add_url_rule("/texts", "texts", _texts_page)
    bp.add_url_rule("/caller", "caller", lambda: _caller_page(twin))
    bp.add_url_rule("/stats", "stats", lambda: _stats_page(settings))
    bp.add_url_rule("/history", "history", _history_page)
    app.register_blueprint(bp)


def content_security_policy(prompts_base_url: str | None) -> str:
    """Scripts, pages, forms and audio from the console's own origin only (and the prompts'
    CDN for audio). Inline styles stay allowed: the charts and diagrams are SVG that
    matplotlib and Graphviz style inline, and a style cannot run code."""
    media = "'self'"
    if prompts_base_url:
        parts = urlsplit(prompts_base_url)
        media += f" {parts.scheme}://{parts.netloc}"
    return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; media-src {media}; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


def _store() -> MenuStore:
    store: MenuStore = current_app.extensions["ivr"].store
    return store


def _lang(menus: Menus) -> str:
    lang = request.args.get("lang") or menus.call.default_language
    offered = [language.code for language in menus.offered()]
    return lang if lang in offered else menus.call.default_language


def _status_page(settings: Settings) -> str:
    store = _store()
    menus = store.menus()
    rows, prompts_error = status.prompts_or_error(menus, settings.prompts_dir,
                                                  settings.allow_offline_prompts)
    numbers = [("The 24/7 info line (key " + menus.call.keys.info_line + ", and after the "
                "limits of silence and wrong keys)", menus.numbers.info_line),
               ("Emergency: never dialled, the caller is told to call it"
                if not menus.call.emergency_forwarding else
                "Emergency: FORWARDED (call.emergency_forwarding is on)", menus.numbers.emergency)]
    return render_template(
        "console_status.html", menus=menus, loaded_at=store.loaded_at,
        problems=status.rejected_edit(store), seed_problems=store.seeds.problems(),
        menus_path=store.menus_path, rows=rows,
        prompts_error=prompts_error, numbers=numbers, national=status.national,
        caller_id=settings.caller_id, allow_offline=settings.allow_offline_prompts,
        kinds=status.KINDS)


def _diagram_page(pictures: _Pictures) -> str:
    menus = _store().menus()
    lang = _lang(menus)
    try:
        svg = pictures.get(menus, lang, "svg").decode()
        drawn, error = Markup(svg[svg.index("<svg"):]), None
    except graphviz.ExecutableNotFound:
        drawn, error = None, "Graphviz's dot is not on the server (apt-get install graphviz)."
    return render_template("console_diagram.html", menus=menus, lang=lang, svg=drawn, error=error)


def _picture(pictures: _Pictures, fmt: str) -> Response:
    if fmt not in ("svg", "png"):
        abort(404)
    menus = _store().menus()
    lang = _lang(menus)
    try:
        data = pictures.get(menus, lang, fmt)
    except graphviz.ExecutableNotFound:
        abort(503)
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    name = f"callflow-{menus.version}-{lang}.{fmt}"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def _texts_page() -> str:
    menus = _store().menus()
    every = texts.text_rows(menus)
    source = menus.call.default_language
    lang = request.args.get("lang", "")
    # The source language always, beside one chosen language or all the others.
    others = [lang] if lang in menus.languages and lang != source else [
        code for code in menus.languages if code != source]
    shown = [source] + others
    only = request.args.get("only", "")
    rows = every
    if only in texts.STATUSES:
        rows = [r for r in every if any(r.cells[code].status == only for code in shown)]
    counts = {code: texts.status_counts(every, code) for code in menus.languages}
    return render_template("console_texts.html", menus=menus, rows=rows, shown=shown, lang=lang,
                           only=only, counts=counts, statuses=texts.STATUSES)


def _caller_page(twin: Callable[[], Flask]) -> str:
    menus = _store().menus()
    lang = request.args.get("lang", "")
    path = request.args.get("keys", "")
    outcome = request.args.get("outcome", "completed")
    heard, error = None, None
    if "keys" in request.args:
        try:
            answers = parse_path(path)
            if outcome not in TRANSFER_OUTCOMES:
                raise BadPath(f"{outcome!r} is not a transfer outcome")
            chosen = lang if lang in menus.languages else None
            heard = caller.hear_path(twin(), chosen, answers, outcome)
        except BadPath as bad:
            error = str(bad)
    return render_template("console_caller.html", menus=menus, lang=lang, path=path,
                           outcome=outcome, outcomes=TRANSFER_OUTCOMES, heard=heard, error=error)


def _history_page() -> str:
    store = _store()
    history = History(store.menus_path)
    old, new = request.args.get("a", ""), request.args.get("b", "")
    comparison, error, rows = None, None, []
    try:
        rows = versions.rows(history)
        if old:
            comparison = versions.compare(history, old, new)
    except HistoryError as refused:
        error = str(refused)
    except OSError as unreadable:
        error = f"{history.folder}: cannot read it ({unreadable.strerror})"
    return render_template("console_history.html", rows=rows, live=store.menus().version,
                           menus_path=store.menus_path, comparison=comparison, error=error,
                           old=old, new=new, keep=history.keep)


def _stats_page(settings: Settings) -> str:
    if not stats_enabled(settings):
        abort(404)
    start, end = period(request.args.get("start"), request.args.get("end"))
    min_count = request.args.get("min_count", "5")
    count = min(int(min_count), 1000) if min_count.isdigit() and int(min_count) > 0 else 5
    sections = Markup(render_stats(settings, start, end, count))
    return render_template("console_stats.html", start=start, end=end, min_count=count,
                           sections=sections)
