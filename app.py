"""WSGI entry point: `gunicorn app:app` (gunicorn.conf.py beside it holds the settings)."""

import sys

from ivr.app import create_app
from ivr.web.factory import UnsafeSettings

try:
    app = create_app()
except UnsafeSettings as error:
    # One line, not a traceback per worker; gunicorn halts on exit status 4 ("App failed to
    # load") instead of restarting the worker for ever.
    print(f"ivr: refusing to serve: {error}", file=sys.stderr)
    raise SystemExit(4) from None
