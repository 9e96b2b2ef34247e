"""The application factory: the webhook, its audio, and the QA page and the operator console
only when switched on."""

from __future__ import annotations

import dataclasses

from flask import Flask

from ivr.settings import Settings
from ivr.web import audio
from ivr.web import webhook


def create_app(settings: Settings | None = None) -> Flask:
    """Build the webhook app; `settings` defaults to the environment's."""
    settings = settings or Settings.from_env()
    if settings.playground and settings.stats_url:
        # The keypad page's calls are QA, not callers: they must not enter the figures.
        settings = dataclasses.replace(settings, stats_url=None)
    app = Flask("ivr")
    app.config["IVR_SETTINGS"] = settings
    webhook.init_app(app, settings)
    audio.init_app(app, settings)
    if settings.playground:
        # The QA stack (simulator, scenarios) stays out of production workers unless asked
        # for (issue 9); import-linter's contract allows exactly this one import.
        from ivr.qa import playground

        playground.init_app(app, settings)
    if settings.console_password:
        # The operator console (issue 12): absent, not merely locked, without its password.
        from ivr.console import pages

        pages.init_app(app, settings)
    return app
