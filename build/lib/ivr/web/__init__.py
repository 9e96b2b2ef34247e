"""The Flask shell: the webhook, signatures, privacy, the live menus store, audio, TwiML."""

from ivr.web.factory import create_app

__all__ = ["create_app"]
