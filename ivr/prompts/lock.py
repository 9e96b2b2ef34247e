"""One writer at a time in a prompts folder, and a stopped writer leaves no temp file.

Two builds (or a build and a recording) would overwrite each other's manifest; a build
stopped by a signal Python does not turn into an exception would leave the file it was
writing under its temp name (issue 22 item 13).
"""

from __future__ import annotations

import fcntl
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK = ".lock"


class Busy(Exception):
    """Another build or recording is writing the same prompts folder."""


@contextmanager
def locked(prompts_dir: Path) -> Iterator[None]:
    """Hold the folder's lock: two writers would overwrite each other's manifest.

    Holding it, no other writer is at work: every temp file in the folder is a leftover of
    one that was killed, and goes.
    """
    prompts_dir.mkdir(parents=True, exist_ok=True)
    with open(prompts_dir / LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise Busy(f"{prompts_dir}: another prompts build or record is running") from error
        for leftover in prompts_dir.glob(".*.part"):
            leftover.unlink(missing_ok=True)
        with _stopped_as_by_ctrl_c():
            yield  # the lock goes with the file's closing, even on a crash


@contextmanager
def _stopped_as_by_ctrl_c() -> Iterator[None]:
    """SIGTERM and SIGHUP (`timeout`, `systemctl stop`, a closed terminal) stop a writer the
    way ^C does, so the temp file being written goes: by default Python dies on the spot
    and left it behind (issue 22 item 13). kill -9 still can: the next writer removes it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a caller there has its own
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    stops = (signal.SIGTERM, signal.SIGHUP)
    before = {stop: signal.getsignal(stop) for stop in stops}
    for stop in stops:
        signal.signal(stop, interrupt)
    try:
        yield
    finally:
        for stop, handler in before.items():
            signal.signal(stop, handler if handler is not None else signal.SIG_DFL)
