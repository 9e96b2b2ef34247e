"""Helpline IVR router: the application factory."""

from __future__ import annotations

from flask import Flask

from ivr.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the webhook app; `settings` defaults to the environment's."""
    from ivr import audio
    from ivr import playground
    from ivr import web

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["IVR_SETTINGS"] = settings
    web.init_app(app, settings)
    audio.init_app(app, settings)
    playground.init_app(app, settings)
    return app
