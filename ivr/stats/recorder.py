"""The in-process side of the statistics: count a step in microseconds, store it later.

A step adds its Counts to a dict under a lock; one background thread per process adds the
dict to the store every flush_seconds (IVR_STATS_FLUSH_SECONDS, 30 by default; the
shortest of the process's recorders) and at exit, dated by the day of the flush. The
store being down never reaches a call: the counts wait in memory, and in a spool file
written at each failed flush that outlives the process (ivr/stats/spool.py), and the failure
is logged once (and its end once) however long it lasts.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.engine import make_url

from ivr.stats import store
from ivr.stats.events import Count
from ivr.stats.spool import Spool

log = logging.getLogger(__name__)
FLUSH_SECONDS = 30.0
EXIT_TRIES = 3
EXIT_RETRY_SECONDS = 1.0


class Recorder:
    """Counts steps for one store URL; `flush` writes them (the flusher thread calls it)."""

    def __init__(self, url: str, flush_seconds: float = FLUSH_SECONDS,
                 spool: Path | None = None,
                 on_flush: Callable[[bool], None] | None = None) -> None:
        self.url = url
        self.flush_seconds = flush_seconds
        self._spool = Spool(spool, url) if spool is not None else None
        """Keeps the counts a failed flush put back, on disk (ivr/stats/spool.py)."""
        self.on_flush = on_flush
        """Told whether each flush that reached for the store wrote to it (the metrics)."""
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending: dict[Count, int] = {}
        self._engine: Engine | None = None
        self._migrated = False
        self._failing = False
        _RECORDERS.add(self)
        _wake.set()  # the flusher may be sleeping out a longer interval than ours
        self._open()

    def add(self, counts: tuple[Count, ...]) -> None:
        """Count what one step counted (ivr.stats.events.derive, worked out with its answer)."""
        with self._lock:  # this runs on every step of every call
            pending = self._pending
            for count in counts:
                pending[count] = pending.get(count, 0) + 1
        if _flusher is None:
            _start_flusher()

    def flush(self) -> bool:
        """Add the pending counts to the store; False (logged once) if it is unavailable.

        One flush at a time: a flush that finds another writing (the flusher thread, the
        exit flush, a report) waits for it, so when it returns every count it could have
        taken is in the store.
        """
        with self._flushing:
            return self._flush()

    def _flush(self) -> bool:
        with self._lock:
            taken, self._pending = self._pending, {}
        if self._spool is not None:  # the counts of workers that died waiting for the store
            for count, n in self._spool.adopt().items():
                taken[count] = taken.get(count, 0) + n
        if not taken and self._migrated:
            if self._spool is not None:
                self._spool.stored()  # (a claimed file of a worker killed before it spooled)
            return True
        try:
            engine = self._open_engine()
            if not self._migrated:
                store.migrate(engine)
                self._migrated = True
            store.add(engine, _today(), taken)
        except Exception as error:  # noqa: BLE001 - a store problem must never reach a call
            self._merge_back(taken)
            self._fail(error)
            self._keep()
            self._flushed(False)
            return False
        self._flushed(True)
        if self._spool is not None:
            self._spool.stored()
        if self._failing:
            self._failing = False
            log.warning("statistics store %s is available again", self._shown_url())
        return True

    def _flushed(self, ok: bool) -> None:
        if self.on_flush is not None:
            self.on_flush(ok)

    def _open(self) -> None:
        # At start-up, so an unreachable or outdated store is reported when the server
        # starts; the calls are answered either way.
        self.flush()

    def _open_engine(self) -> Engine:
        if self._engine is None:
            self._engine = store.create_store_engine(self.url)
        return self._engine

    def _merge_back(self, taken: dict[Count, int]) -> None:
        with self._lock:
            for count, n in taken.items():
                self._pending[count] = self._pending.get(count, 0) + n

    def _keep(self) -> None:
        # Written outside the lock every step takes: a step never waits for the disk.
        if self._spool is not None:
            with self._lock:
                pending = dict(self._pending)
            self._spool.save(pending)

    def _fail(self, error: Exception) -> None:
        if self._failing:
            return
        self._failing = True
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        kept = f" and in {self._spool.folder}" if self._spool is not None else ""
        log.error("statistics store %s is unavailable (%s: %s); calls go on, counts wait in "
                  "memory%s and are retried every %g s", self._shown_url(),
                  type(error).__name__, reason[:300], kept, self.flush_seconds)

    def _shown_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def after_fork(self) -> None:
        """In a forked worker: fresh locks, and no connection shared with the parent."""
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending = {}
        if self._spool is not None:
            self._spool.after_fork()
        if self._engine is not None:
            self._engine.dispose(close=False)


class NoRecorder:
    """IVR_STATS_URL=off: nothing is counted."""

    def add(self, counts: tuple[Count, ...]) -> None:
        """Count nothing."""


def open_recorder(url: str | None, flush_seconds: float = FLUSH_SECONDS,
                  spool: Path | None = None,
                  on_flush: Callable[[bool], None] | None = None) -> Recorder | NoRecorder:
    """The recorder for the store at `url` (None: counting is off); `spool`: the folder that
    keeps counts a failed flush put back (None: memory only); `on_flush` is told whether
    each flush that reached for the store wrote to it."""
    return NoRecorder() if url is None else Recorder(url, flush_seconds, spool, on_flush)


def _today() -> datetime.date:
    # UTC: several hosts in several time zones add to the same day (docs/statistics.md).
    return datetime.datetime.now(datetime.UTC).date()


_RECORDERS: weakref.WeakSet[Recorder] = weakref.WeakSet()
_flusher: threading.Thread | None = None
_flusher_lock = threading.Lock()
_wake = threading.Event()


def _start_flusher() -> None:
    global _flusher
    with _flusher_lock:
        if _flusher is None:
            _flusher = threading.Thread(target=_flush_loop, name="ivr-stats", daemon=True)
            _flusher.start()


def _flush_loop() -> None:
    while True:
        _wake.wait(_interval())
        _wake.clear()
        flush_all()


def _interval() -> float:
    return min((recorder.flush_seconds for recorder in list(_RECORDERS)),
               default=FLUSH_SECONDS)


def flush_all() -> None:
    """Flush every recorder of this process (the flusher thread's round)."""
    for recorder in list(_RECORDERS):
        recorder.flush()


def _after_fork_in_child() -> None:
    global _flusher, _flusher_lock, _wake
    _flusher, _flusher_lock, _wake = None, threading.Lock(), threading.Event()
    for recorder in list(_RECORDERS):
        recorder.after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
def _flush_at_exit() -> None:
    # The last chance for these counts: a store that hiccups (a restart, a lock timeout)
    # gets a few more tries, bounded well inside gunicorn's graceful timeout.
    for _ in range(EXIT_TRIES):
        if all([recorder.flush() for recorder in list(_RECORDERS)]):
            return
        time.sleep(EXIT_RETRY_SECONDS)


atexit.register(_flush_at_exit)
