"""menus.yaml as the server reads it: whole versions only, and a last-good copy beside it.

A version is read only once the file has stood still for SETTLE seconds (issue 8 item 6): an
editor or a script writing in place leaves a cut file for a moment, and a cut file can be
valid. Each version that goes live is kept in `.menus.yaml.last-good` next to the file
(same folder, so its sources are checked against the same seeds/), written atomically, so
that a process starting while menus.yaml is broken still has menus to serve (item 1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ivr.atomicfile import write_atomic
from ivr.core.model import Menus
from ivr.menus import limits
from ivr.menus.loader import InvalidMenus
from ivr.menus.loader import check_menus_file
from ivr.menus.problems import Problem

log = logging.getLogger(__name__)
SETTLE = 1.0
"""Seconds a changed menus.yaml must stand still before it is read as a new version."""

class Stamp(NamedTuple):
    """What changes whenever the file does: a rename over it changes the inode too."""

    inode: int
    mtime_ns: int
    ctime_ns: int
    size: int


def stamp(path: Path) -> Stamp | None:
    """The file's stamp now (None if it is not there)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return Stamp(info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size)


def folder_stamp(folder: Path) -> tuple[tuple[str, Stamp | None], ...]:
    """The stamps of the folder and of every file in it (a handful of seed documents)."""
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return ()
    return (("", stamp(folder)), *((name, stamp(folder / name)) for name in names))


def last_good_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.last-good")


@dataclass(frozen=True)
class Version:
    """One reading of the file: its bytes and the stamp it had while they were read."""

    raw: bytes
    stamp: Stamp


def read_version(path: Path) -> Version | None:
    """The whole file, or None if it changed while being read (OSError if unreadable;
    InvalidMenus, unread, if it is bigger than any menus file may be)."""
    before = stamp(path)
    over = limits.too_big(before.size) if before is not None else None
    if over is not None:
        # Every worker would otherwise read a 50 MB file into memory to refuse it.
        raise InvalidMenus([Problem(str(path), 1, 1, "error", "", *over)])
    raw = path.read_bytes()
    after = stamp(path)
    return Version(raw, after) if after is not None and before == after else None


class Settling:
    """Tells when a changed file has stood still long enough to be read as a version."""

    def __init__(self, settle: float, clock: Callable[[], float], wall: Callable[[], float]):
        self.settle = settle
        self._clock, self._wall = clock, wall
        self._first_seen: tuple[Stamp, float] | None = None

    def settled(self, version: Version) -> bool:
        # Either the file's own mtime is old enough, or we have watched it stay the same
        # that long (an mtime in the future, from a skewed clock or a copy, must not keep
        # a good edit out for ever).
        if self._wall() - version.stamp.mtime_ns / 1e9 >= self.settle:
            return True
        now = self._clock()
        if self._first_seen is None or self._first_seen[0] != version.stamp:
            self._first_seen = (version.stamp, now)
        return now - self._first_seen[1] >= self.settle


def check_version(path: Path, raw: bytes, with_seeds: bool = True) -> tuple[Menus, list[str]]:
    """Valid menus from the bytes and their warnings, formatted; InvalidMenus on errors
    (with_seeds=False: the sources are not checked against seeds/)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        hint = "save the file as UTF-8"
        message = f"not UTF-8 text at byte {error.start}"
        raise InvalidMenus([Problem(str(path), 1, 1, "error", "", message, hint)]) from None
    menus, problems = check_menus_file(path, text, with_seeds=with_seeds)
    if menus is None:
        raise InvalidMenus(problems)
    return menus, [p.format() for p in problems if p.severity == "warning"]


class LastGood:
    """The copy of the last version that went live, for a start while the file is broken."""

    def __init__(self, menus_path: Path) -> None:
        self.path = last_good_path(menus_path)
        self._failed = False

    def save(self, raw: bytes) -> None:
        try:
            if self.path.is_file() and self.path.read_bytes() == raw:
                return  # every worker of a server starts with the same file
            write_atomic(self.path, raw)
        except OSError as error:
            if not self._failed:  # once a process, not once a reload
                self._failed = True
                log.warning("cannot keep a last-good copy of the menus at %s (%s): a restart "
                            "while the menus file is broken would not start", self.path,
                            error.strerror or error)

    def load(self) -> tuple[bytes, Menus, list[str]]:
        """The copy, its menus and warnings (OSError if there is none, InvalidMenus if broken).

        Its sources are not checked again: they were when it went live, and a seed file
        gone since must not stop a process from serving it (issue 22 item 1); the store
        reports such a file as missing instead.
        """
        raw = self.path.read_bytes()
        return (raw, *check_version(self.path, raw, with_seeds=False))
