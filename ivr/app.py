"""The whole application, assembled above the layers: the webhook, and the operator console
and the QA keypad page when they are switched on, each given the webhook twin it calls.

`gunicorn app:app` (app.py beside menus.yaml) and `ivr serve` build it here.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable

from flask import Flask

from ivr.settings import Settings
from ivr.web import metricsserver
from ivr.web.factory import create_webhook_app
from ivr.web.sms import TextSender
from ivr.web.webhook import DrySender
from ivr.web.webhook import Sender


def create_app(settings: Settings | None = None) -> Flask:
    """The webhook app for `settings` (default: the environment's); the console and the QA
    page only when their settings switch them on. UnsafeSettings if the settings are unsafe."""
    settings = settings or Settings.from_env()
    sms = TextSender.from_env()
    app = create_webhook_app(settings, sms)
    serve_metrics(app, settings)
    if not (settings.playground or settings.console_password):
        return app
    twin = twin_maker(settings, sms)
    if settings.playground:
        # The QA stack stays out of production workers unless asked for (issue 9).
        from ivr.qa import playground

        playground.init_app(app, settings, twin)
    if settings.console_password:
        # The operator console (issue 12): absent, not merely locked, without its password.
        from ivr.console import pages

        pages.init_app(app, settings, twin)
    return app


def serve_metrics(app: Flask, settings: Settings) -> None:
    """In one process (`ivr serve`), the app serves its own metrics on IVR_METRICS_ADDRESS;
    under gunicorn the workers' files are summed and served by the master (gunicorn.conf.py)."""
    address = settings.metrics_address
    if address is None or metricsserver.multiprocess_mode():
        return
    try:
        server = metricsserver.serve(address, app.extensions["ivr"].metrics.registry)
    except OSError as error:
        logging.getLogger(__name__).error(
            "metrics not served: cannot listen on IVR_METRICS_ADDRESS %s:%s (%s); the calls "
            "are answered all the same", *address, error.strerror or error)
        return
    app.extensions["ivr_metrics_server"] = server


def twin_maker(settings: Settings, sms: Sender | None) -> Callable[[], Flask]:
    """Makes, once and when first asked, the live app's twin for simulated calls: the same
    menus file, prompts and signatures; statistics, metrics and the menus history off, so
    an operator's or a tester's walk is never counted as a caller; text messages offered
    where the live app offers them, but never sent (issue 22 item 6)."""
    made: list[Flask] = []
    lock = threading.Lock()

    def twin() -> Flask:
        with lock:
            if not made:
                quiet = dataclasses.replace(settings, stats_url=None, console_password=None,
                                            playground=False, keep_history=False,
                                            metrics_address=None)
                made.append(create_webhook_app(quiet, DrySender() if sms else None))
            return made[0]

    return twin
