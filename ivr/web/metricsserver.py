"""Serving the metrics on their own address (IVR_METRICS_ADDRESS), never the webhook's.

The public site (deploy/nginx-ivr.conf) proxies only the webhook's address, so the metrics
cannot be reached through it whatever path is asked for. Under gunicorn the master serves
them, summed over every worker's files in PROMETHEUS_MULTIPROC_DIR, so a scrape needs no
worker thread and still answers while every worker is busy (gunicorn.conf.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry
from prometheus_client import multiprocess
from prometheus_client import start_http_server
from prometheus_client import values

FOLDER = "PROMETHEUS_MULTIPROC_DIR"
_FILES = re.compile(r"^(counter|histogram|summary|gauge_[a-z]+)_\d+\.db$")
"""The names prometheus-client gives its files: only these are removed from the folder."""


def multiprocess_mode() -> bool:
    """Whether this process keeps its values in PROMETHEUS_MULTIPROC_DIR (decided by
    prometheus-client when it is first imported)."""
    return bool(values.ValueClass._multiprocess)


def scraped_registry(registry: CollectorRegistry | None) -> CollectorRegistry:
    """What a scrape reads: every process's files in multiprocess mode, else `registry`."""
    if multiprocess_mode() or registry is None:
        summed = CollectorRegistry()
        multiprocess.MultiProcessCollector(summed)  # type: ignore[no-untyped-call]
        return summed
    return registry


def serve(address: tuple[str, int], registry: CollectorRegistry | None) -> WSGIServer:
    """Serve the metrics on `address` in a daemon thread; OSError if it cannot listen."""
    host, port = address
    server, _ = start_http_server(port, host, registry=scraped_registry(registry))
    return server


def clear_folder(folder: Path) -> int:
    """Make the folder (private to this user) and remove the files an earlier run left in
    it: a value left there would be added to this run's. Other files are left alone, in
    case the folder was shared by mistake. The number of files removed."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    removed = 0
    for entry in os.scandir(folder):
        if _FILES.match(entry.name) and entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)
            removed += 1
    return removed


def process_ended(pid: int) -> None:
    """A worker ended: its live gauges no longer count (its counters still do)."""
    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
