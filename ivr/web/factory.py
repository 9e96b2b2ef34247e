"""The webhook application: the voice endpoints, /healthz and the prompt audio.

The console and the QA page are not assembled here but above the layers (ivr/app.py), so
the webhook never imports them.
"""

from __future__ import annotations

import dataclasses
import logging
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.settings import Settings
from ivr.web import audio
from ivr.web import health
from ivr.web import logformat
from ivr.web import privacy
from ivr.web.bodylimit import BodyLimit
from ivr.web.menustore import MenuStore
from ivr.web.metrics import Metrics
from ivr.web.metrics import NoMetrics
from ivr.web.sms import TextSender
from ivr.web.webhook import MAX_BODY
from ivr.web.webhook import Sender
from ivr.web.webhook import Webhook
from ivr.web.webhook import WebhookContext


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


def unsigned_warning(settings: Settings) -> str | None:
    """What to say, loudly, when the development switch lets unsigned requests in."""
    if settings.auth_token or not settings.allow_unsigned:
        return None
    return ("webhook signatures are NOT checked (IVR_ALLOW_UNSIGNED=1 and no TWILIO_AUTH_TOKEN): "
            "anyone who can reach this server can drive calls; for local development only, a "
            "real number needs TWILIO_AUTH_TOKEN and IVR_PUBLIC_URL (docs/deploy.md)")


def create_webhook_app(settings: Settings, sms: Sender | None) -> Flask:
    """The webhook app; `sms` sends the read-out by text message (None: not offered).
    UnsafeSettings if the settings are unsafe, MenusUnavailable if there is nothing to serve."""
    reason = refusal(settings)
    if reason:
        raise UnsafeSettings(reason)
    # Logging first: a start on a broken menus.yaml logs why, through gunicorn's error log.
    _log_through_gunicorn()
    privacy.install()
    if settings.log_format == "json":
        logformat.use_json()
    store = MenuStore(
        settings.menus_path,
        settings.prompts_dir,
        settings.allow_offline_prompts,
        settings.reload_interval,
        prompts_on_disk=settings.prompts_base_url is None,
        keep_history=settings.keep_history,
    )
    metrics = Metrics() if settings.metrics_address else NoMetrics()
    if isinstance(sms, TextSender):
        sms = dataclasses.replace(sms, on_result=metrics.text_message)
    context = WebhookContext(settings, store, sms, metrics)
    if isinstance(metrics, Metrics):
        metrics.watch(store, context.cache, settings.reload_interval)
    app = Flask("ivr")
    app.config["IVR_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["ivr"] = context
    health.init_app(app, store)
    audio.init_app(app, settings)
    # Innermost the voice endpoints, so they see a whole body (BodyLimit) and the client's
    # scheme (ProxyFix: only the address and scheme; host, port and prefix come from
    # IVR_PUBLIC_URL, never from a header, issue 8 item 5).
    wsgi = BodyLimit(Webhook(app.wsgi_app, context), MAX_BODY)
    if settings.proxy_hops > 0:
        hops = settings.proxy_hops
        wsgi = ProxyFix(wsgi, x_for=hops, x_proto=hops)  # type: ignore[assignment]
    app.wsgi_app = wsgi  # type: ignore[method-assign]
    return app


def _log_through_gunicorn() -> None:
    # Under gunicorn nothing configures the root logger, so reload errors and apologies
    # would only reach stderr through logging's last resort; use gunicorn's error log.
    gunicorn = logging.getLogger("gunicorn.error")
    ivr_log = logging.getLogger("ivr")
    if gunicorn.handlers and not ivr_log.handlers:
        ivr_log.handlers = list(gunicorn.handlers)
        ivr_log.setLevel(gunicorn.level)
        ivr_log.propagate = False
