"""Counts that wait for the store, kept on disk too, so that a killed worker loses at most
the steps since its last flush, however long the store is down (issue 22 item 9).

A worker killed 25 s into a PostgreSQL outage once lost every count it had held in memory
since the outage began. Now each failed flush also writes the worker's unflushed counts,
whole (ivr.atomicfile), to `<folder>/<store>-<pid>-<random>.counts`. While the worker lives
it holds an exclusive flock on `<same name>.lock`; the kernel lets go of it however the
process ends (kill -9 included), so another worker of any server using the same folder and
store can tell a file whose worker is gone, claim it (the lock), add its counts to its own,
and remove it once they are safe: in the store, or in its own spool file. A flush that
reaches the store removes the worker's own file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from ivr.atomicfile import remove_leftovers
from ivr.atomicfile import write_atomic
from ivr.stats.events import Count

log = logging.getLogger(__name__)
MAX_BYTES = 1_000_000
"""The most one spool file holds: the shipped menus give at most a few thousand different
counts (about 80 bytes each), whatever the number of steps."""


class Spool:
    """This process's spool file in `folder` for the store at `store_url`, and the claiming
    of the files of processes that are gone."""

    def __init__(self, folder: Path, store_url: str) -> None:
        self.folder = folder
        # Files of another store (IVR_STATS_URL changed) are never added to this one.
        self._store = hashlib.sha256(store_url.encode()).hexdigest()[:12]
        self._stem: str | None = None
        self._fd: int | None = None
        self._held: list[tuple[int, str]] = []
        self._failing = False

    def save(self, pending: Mapping[Count, int]) -> bool:
        """Write `pending` (every count this process has not stored) as its spool file,
        whole; False (logged once) if it cannot be written."""
        if not pending:  # (a start while the store is down): no file for nothing
            self._release_held()
            return True
        data = json.dumps({"counts": [[*count, n] for count, n in sorted(pending.items())]},
                          ensure_ascii=False, separators=(",", ":")).encode()
        try:
            if len(data) > MAX_BYTES:
                raise OSError(f"{len(pending)} different counts are over {MAX_BYTES:,} bytes")
            self._own()
            assert self._stem is not None
            write_atomic(self.folder / f"{self._stem}.counts", data)
        except OSError as error:
            if not self._failing:
                self._failing = True
                log.error("statistics: cannot keep the counts waiting for the store in %s "
                          "(%s): a worker killed before the store is back loses them",
                          self.folder, error.strerror or error)
            return False
        self._failing = False
        self._release_held()  # their counts are in this file now
        return True

    def stored(self) -> None:
        """Every count this process held is in the store: its files go, and so do the
        files it claimed."""
        if self._fd is not None:
            self._held.append((self._fd, str(self._stem)))
            self._stem, self._fd = None, None
        self._release_held()

    def adopt(self) -> dict[Count, int]:
        """The counts of the spool files of processes that are gone, claimed until they are
        safe (`save` or `stored`)."""
        adopted: dict[Count, int] = {}
        for stem in self._orphans():
            counts = self._claim(stem)
            if counts is None:
                continue
            for count, n in counts.items():
                adopted[count] = adopted.get(count, 0) + n
            log.warning("statistics: %d counts a stopped worker kept in %s are added to this "
                        "one's", sum(counts.values()), self.folder / f"{stem}.counts")
        return adopted

    def after_fork(self) -> None:
        """In a forked child: nothing of the parent's is the child's (its lock stays the
        parent's: the child only drops its copies of the descriptors)."""
        for fd in [self._fd, *(fd for fd, _ in self._held)]:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._stem, self._fd, self._held = None, None, []

    def _own(self) -> None:
        # The lock is taken before the file bears its final name, so no other process
        # can find it unlocked and take its (live) owner for gone.
        if self._fd is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{self._store}-{os.getpid()}-{secrets.token_hex(4)}"
        temp = self.folder / f".{stem}.lock.new"
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(temp, self.folder / f"{stem}.lock")
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._stem, self._fd = stem, fd

    def _orphans(self) -> list[str]:
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return []  # no folder: nothing was ever kept
        return sorted(name[:-len(".lock")] for name in names
                      if name.startswith(self._store + "-") and name.endswith(".lock")
                      and name[:-len(".lock")] != self._stem)

    def _claim(self, stem: str) -> dict[Count, int] | None:
        """The counts of `stem` if its process is gone (then held), else None."""
        lock = self.folder / f"{stem}.lock"
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            return None  # claimed and removed by another process meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino != lock.stat().st_ino:
                raise FileNotFoundError(lock)  # removed, and the name reused, meanwhile
            counts = self._read(stem)
        except OSError:
            os.close(fd)
            return None  # its process is alive (the lock is taken), or it just went
        self._held.append((fd, stem))
        return counts

    def _read(self, stem: str) -> dict[Count, int]:
        path = self.folder / f"{stem}.counts"
        try:
            rows = json.loads(path.read_bytes())["counts"]
            return {Count(*row[:-1]): int(row[-1]) for row in rows}
        except FileNotFoundError:
            return {}  # killed before its first failed flush wrote anything
        except (ValueError, KeyError, TypeError) as error:
            # Never written half (atomic), so only a hand or a disk did this: keep it aside.
            log.error("statistics: %s is not a spool file (%s); moved to %s.bad", path, error,
                      path.name)
            with contextlib.suppress(OSError):
                path.rename(path.with_name(path.name + ".bad"))
            return {}

    def _release_held(self) -> None:
        for fd, stem in self._held:
            remove_leftovers(self.folder, f"{stem}.counts")  # of a writer killed mid-write
            for suffix in (".counts", ".lock"):  # the lock last: it guards the counts
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / f"{stem}{suffix}")
            os.close(fd)
        self._held = []
