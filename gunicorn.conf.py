"""gunicorn's settings for the webhook; `gunicorn app:app` in this folder reads this file.

Threads, not sync workers: a sync worker is held by one client that promises a body and
sends it slowly (until `timeout`, 30 s, while Twilio gives up after 15 s), so two such
clients stalled every call (issue 8 item 3). A gthread worker holds only one of its threads
per slow client and keeps answering with the others. The proxy in front must still buffer
whole request bodies (deploy/nginx-ivr.conf), so that no slow client reaches us at all.

Command-line options override these: `gunicorn -w 4 -b 0.0.0.0:8000 app:app`.
"""

import sys

bind = "127.0.0.1:8000"
worker_class = "gthread"
workers = 2
"""Each worker is one process with its own menus and answer cache; 2 per core is plenty."""
threads = 16
"""Requests each worker answers at once; a slow client holds one of them, not the worker."""
timeout = 30
"""A worker whose main loop is stuck this long is restarted (a thread does not count)."""
graceful_timeout = 20
keepalive = 5
"""Seconds an idle connection from the proxy stays open for its next request."""
accesslog = None
"""No access log here: nginx keeps one, and no form field ever belongs in a log."""
control_socket_disable = True
"""gunicorn's control socket is one path per user: two servers on a host would share it."""


def on_starting(server: object) -> None:
    """Refuse, once and in one line, settings a public webhook must not run with."""
    from ivr.settings import Settings
    from ivr.settings import SettingsError
    from ivr.web.factory import refusal

    try:
        reason = refusal(Settings.from_env())
    except SettingsError as error:
        reason = str(error)
    if reason:
        print(f"ivr: refusing to serve: {reason}", file=sys.stderr)
        raise SystemExit(4)
