"""The application factory: the webhook, its audio, and the QA page and the operator console
only when switched on."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from flask import Flask

from ivr.settings import Settings
from ivr.web import audio
from ivr.web import webhook


class UnsafeSettings(ValueError):
    """Settings a public webhook must not run with; the message is one line naming the fix."""


def refusal(settings: Settings) -> str | None:
    """Why the webhook must not serve with these settings, or None (issue 8 items 4 and 5)."""
    if not settings.auth_token:
        if settings.allow_unsigned:
            return None
        return ("TWILIO_AUTH_TOKEN is not set, so anyone could drive calls: set it, or set "
                "IVR_ALLOW_UNSIGNED=1 for local development only")
    url = settings.public_base_url
    if not url:
        return ("IVR_PUBLIC_URL is not set: signatures must be checked against the URL Twilio "
                "calls, not one a client names; set it, e.g. IVR_PUBLIC_URL=https://ivr.example.org")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return (f"IVR_PUBLIC_URL={url!r} is not the URL Twilio calls; give scheme and host "
                "(and a path prefix if any), e.g. https://ivr.example.org")
    return None


def create_app(settings: Settings | None = None) -> Flask:
    """Build the webhook app; `settings` defaults to the environment's; UnsafeSettings if unsafe."""
    settings = settings or Settings.from_env()
    reason = refusal(settings)
    if reason:
        raise UnsafeSettings(reason)
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
