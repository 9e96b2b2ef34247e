"""gunicorn's settings for the webhook; `gunicorn app:app` in this folder reads this file.

Threads, not sync workers: a sync worker is held by one client that promises a body and
sends it slowly (until `timeout`, 30 s, while Twilio gives up after 15 s), so two such
clients stalled every call (issue 8 item 3). A gthread worker holds only one of its threads
per slow client and keeps answering with the others, but 40 such clients (2 x 16 threads)
still left calls unanswered (issue 22 item 4): gunicorn has no timeout for a slow body.
So it serves only behind a proxy that buffers whole requests (deploy/nginx-ivr.conf), and
refuses an address anyone could reach directly unless told that only such a proxy can.

With IVR_METRICS_ADDRESS set, the workers keep Prometheus metrics in files in
PROMETHEUS_MULTIPROC_DIR (a private temporary folder unless set), and this master process
serves their sum on that address (docs/deploy.md, "Metrics"). IVR_LOG_FORMAT=json writes
gunicorn's error log, which the webhook's loggers write through, as JSON lines.

Command-line options override these: `gunicorn -w 4 -b 127.0.0.1:9000 app:app`.
"""

import ipaddress
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger

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
forwarder_headers = ""
"""No header names the app's mount point: gunicorn took a SCRIPT_NAME header from any client
on loopback (nginx's address) as one, and answered its own 500 to a path outside it (issue
22 item 13). URLs come from IVR_PUBLIC_URL alone; such a header is now dropped like any other
name with an underscore."""

_METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"
_MADE_FOLDER_PREFIX = "ivr-metrics-"
if os.environ.get("IVR_METRICS_ADDRESS", "").strip() and not os.environ.get(_METRICS_FOLDER):
    # Set before prometheus-client is first imported (on_starting imports the app's
    # modules), here and so in every worker: it decides the multiprocess mode on import.
    os.environ[_METRICS_FOLDER] = tempfile.mkdtemp(prefix=_MADE_FOLDER_PREFIX)


class JsonErrorLog(Logger):
    """gunicorn's error log as one JSON object per line (IVR_LOG_FORMAT=json); the access
    log, if one is switched on, keeps its own format."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)  # also on `kill -HUP`, which makes the handlers again
        from ivr.web.logformat import JsonLines

        for handler in self.error_log.handlers:
            handler.setFormatter(JsonLines())


if os.environ.get("IVR_LOG_FORMAT", "").strip().lower() == "json":
    logger_class = JsonErrorLog


def on_starting(server: object) -> None:
    """Refuse, once and in one line, settings a public webhook must not run with; warn,
    once and loudly, of the development switch."""
    from ivr.settings import Settings
    from ivr.settings import SettingsError
    from ivr.web.factory import refusal
    from ivr.web.factory import unsigned_warning

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"ivr: refusing to serve: {error}", file=sys.stderr)
        raise SystemExit(4) from None
    reason = refusal(settings)
    if reason:
        print(f"ivr: refusing to serve: {reason}", file=sys.stderr)
        on_exit(server)
        raise SystemExit(4)
    warning = unsigned_warning(settings)
    if warning:
        print(f"ivr: WARNING: {warning}", file=sys.stderr, flush=True)
    folder = os.environ.get(_METRICS_FOLDER)
    if folder:
        _clear_metrics_folder(Path(folder))


def _clear_metrics_folder(folder: Path) -> None:
    from ivr.web.metricsserver import clear_folder

    try:
        clear_folder(folder)
    except OSError as error:
        print(f"ivr: refusing to serve: {_METRICS_FOLDER}={str(folder)!r} cannot hold the "
              f"metrics ({type(error).__name__}: {error.strerror or error}); give a folder "
              "only the server's user writes, or unset it", file=sys.stderr)
        on_exit(None)
        raise SystemExit(4) from None


def when_ready(server: object) -> None:
    """Refuse, in one line, to listen where clients could reach the workers directly.

    The listening sockets themselves are checked, so an address given on the command line,
    a host name or a socket from systemd counts as what it really is.
    """
    if os.environ.get("IVR_BEHIND_PROXY") == "1":
        return
    exposed = [where for where, local in _listening(server) if not local]
    if exposed:
        print(f"ivr: refusing to serve: listening on {exposed[0]}, which clients can reach "
              "directly, and a few dozen that send slowly would hold every worker thread; "
              "bind 127.0.0.1 or a unix socket behind a proxy that buffers whole requests "
              "(deploy/nginx-ivr.conf), or set IVR_BEHIND_PROXY=1 where only such a proxy "
              "can reach this address (docs/deploy.md)", file=sys.stderr)
        on_exit(server)
        raise SystemExit(4)
    _serve_metrics(server)


def _serve_metrics(server: object) -> None:
    """The workers' metrics, summed, on IVR_METRICS_ADDRESS: served here in the master,
    where no call waits for a thread and a busy worker cannot delay a scrape."""
    from ivr.settings import Settings
    from ivr.web import metricsserver

    address = Settings.from_env().metrics_address
    if address is None:
        return
    log = server.log  # type: ignore[attr-defined]
    try:
        server._ivr_metrics = metricsserver.serve(address, None)  # type: ignore[attr-defined]
    except OSError as error:
        # The calls matter more than their metrics: serve them, and say so loudly (the
        # scrape failing is Prometheus's `up == 0`).
        log.error("metrics not served: cannot listen on IVR_METRICS_ADDRESS %s:%s (%s); "
                  "the calls are answered all the same", *address, error.strerror or error)
        return
    log.info("metrics served on http://%s:%s/metrics", *address)


def post_fork(server: object, worker: object) -> None:
    """A worker does not keep the master's metrics socket open."""
    metrics = getattr(server, "_ivr_metrics", None)
    if metrics is not None:
        metrics.socket.close()


def child_exit(server: object, worker: object) -> None:
    """A worker ended: its live gauges stop counting (its counters are kept)."""
    if os.environ.get(_METRICS_FOLDER):
        from ivr.web.metricsserver import process_ended

        process_ended(worker.pid)  # type: ignore[attr-defined]


def on_exit(server: object) -> None:
    """Remove the metrics folder if this file made it (also when refusing to start)."""
    folder = Path(os.environ.get(_METRICS_FOLDER) or ".")
    if folder.name.startswith(_MADE_FOLDER_PREFIX) and folder.parent == Path(
            tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)


def _listening(server: object) -> list[tuple[str, bool]]:
    """(address as said, whether only this machine can reach it) for each listener."""
    listeners = getattr(server, "LISTENERS", [])
    if listeners:  # with reuse_port each worker binds its own: then the configured ones
        return [(str(listener), _loopback(listener.sock)) for listener in listeners]
    addresses = getattr(getattr(server, "cfg", None), "address", [])
    return [(str(address), isinstance(address, str | bytes) or _resolves_to_loopback(
        str(address[0]))) for address in addresses]


def _loopback(sock: socket.socket) -> bool:
    if sock.family == socket.AF_UNIX:
        return True
    return ipaddress.ip_address(sock.getsockname()[0].split("%")[0]).is_loopback


def _resolves_to_loopback(host: str) -> bool:
    try:
        found = socket.getaddrinfo(host or None, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback
               for info in found)
