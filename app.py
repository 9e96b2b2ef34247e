"""WSGI entry point: `gunicorn app:app`."""

from ivr.web import create_app

app = create_app()
