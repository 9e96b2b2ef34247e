"""(not yet built)"""

from flask import Flask

from ivr.settings import Settings


def init_app(app: Flask, settings: Settings) -> None:
    """Register this part of the web app."""
