"""Every version of menus.yaml that went live on this host, kept beside it (issue 20 item 5).

`.menus.yaml.history/` sits next to the file, beside the last-good copy. It holds one file
per version, `<version>.yaml`, named by the id the server reports (/healthz menus_version:
the first 12 hex digits of the file's SHA-256), and `index`, one line per time a version
went live: `<UTC time> <version> start|reload`. Only versions the server put live enter it,
so a file `ivr validate` refuses never does.

Every worker records what it puts live, under a lock, and a line is added only when the
version differs from the last line's: one line per change, not one per worker. A version
is written whole (temp file, rename) before its line is appended, so a line never names a
file that is not there; a line cut short by a kill is skipped when read. The last KEEP
lines are kept, and a version file goes with the last line that names it.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import fcntl
import hashlib
import logging
import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ivr.atomicfile import remove_leftovers
from ivr.atomicfile import write_atomic

log = logging.getLogger(__name__)
KEEP = 50
"""How many times a version went live the history remembers (one file per version)."""
HOW = ("start", "reload")
"""How a version went live: a process started with it, or a running one reloaded it."""
MIN_PREFIX = 4
"""The fewest hex digits of a version a command accepts: one typed digit could name a
version nobody meant."""
_VERSION = re.compile(r"[0-9a-f]{12}")
_INDEX, _LOCK = "index", ".lock"


class HistoryError(Exception):
    """A version that cannot be had from the history; the message is one line with the fix."""


@dataclass(frozen=True)
class Entry:
    """One time a version went live."""

    went_live: str
    """UTC, ISO 8601 to the second."""
    version: str
    how: str


def history_folder(menus_path: Path) -> Path:
    return menus_path.with_name(f".{menus_path.name}.history")


def version_of(raw: bytes) -> str:
    """The version id of a menus file's bytes, as Menus.version and /healthz give it."""
    return hashlib.sha256(raw).hexdigest()[:12]


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # flock, not a lock file that exists or not: a killed worker's lock goes with it.
    with open(path, "a", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


class History:
    """The versions of one menus file that went live here."""

    def __init__(self, menus_path: Path, keep: int = KEEP,
                 now: Callable[[], str] = _now) -> None:
        self.menus_path = menus_path
        self.folder = history_folder(menus_path)
        self.keep = keep
        self._now = now
        self._failed = False

    def file(self, version: str) -> Path:
        return self.folder / f"{version}.yaml"

    def record(self, raw: bytes, how: str) -> None:
        """Keep `raw` as the version that went live now (once per change). A folder that
        cannot be written is logged once a process; serving goes on."""
        try:
            self._record(raw, how)
        except OSError as error:
            if not self._failed:  # once a process, not once a reload
                self._failed = True
                log.warning("cannot keep the history of the menus at %s (%s): the versions "
                            "going live are not kept for `ivr menus rollback`", self.folder,
                            error.strerror or error)

    def _record(self, raw: bytes, how: str) -> None:
        version = version_of(raw)
        self.folder.mkdir(exist_ok=True)
        with _locked(self.folder / _LOCK):
            text = self._index()
            entries = _parse(text)
            if entries and entries[-1].version == version:
                return  # another worker (or an earlier start) recorded this change
            if not self._holds(version):
                remove_leftovers(self.folder)  # of any version a killed worker was writing
                write_atomic(self.file(version), raw)
            entry = Entry(self._now(), version, how)
            # After a line cut short by a kill, a new line of its own, not glued to it.
            cut = "\n" if text and not text.endswith("\n") else ""
            with open(self.folder / _INDEX, "a", encoding="ascii") as index:
                index.write(f"{cut}{entry.went_live} {entry.version} {entry.how}\n")
            if len(entries) >= self.keep:
                self._prune([*entries, entry][-self.keep:])

    def _holds(self, version: str) -> bool:
        try:
            return version_of(self.file(version).read_bytes()) == version
        except OSError:
            return False

    def _prune(self, kept: list[Entry]) -> None:
        lines = "".join(f"{e.went_live} {e.version} {e.how}\n" for e in kept)
        write_atomic(self.folder / _INDEX, lines.encode("ascii"))
        named = {entry.version for entry in kept}
        for path in self.folder.iterdir():
            # Whole version files only, and only once no kept line names them.
            if path.suffix == ".yaml" and _VERSION.fullmatch(path.stem) and path.stem not in named:
                path.unlink(missing_ok=True)

    def entries(self) -> list[Entry]:
        """Every time a version went live, oldest first ([] before the first; OSError if
        the index cannot be read)."""
        return _parse(self._index())

    def _index(self) -> str:
        try:
            return (self.folder / _INDEX).read_text(encoding="ascii", errors="replace")
        except FileNotFoundError:
            return ""

    def resolve(self, given: str) -> Entry:
        """The latest entry of the one version `given` starts (HistoryError if none or several)."""
        wanted = given.strip().lower()
        if not re.fullmatch(rf"[0-9a-f]{{{MIN_PREFIX},12}}", wanted):
            raise HistoryError(f"{given!r} is not a version: give {MIN_PREFIX} to 12 of its hex "
                               "digits, as `ivr menus history` lists them")
        latest = {entry.version: entry for entry in self.entries()}
        found = sorted(version for version in latest if version.startswith(wanted))
        if not found:
            raise HistoryError(f"no version {wanted} went live here ({self.folder}; "
                               "`ivr menus history` lists those that did)")
        if len(found) > 1:
            raise HistoryError(f"{wanted} could be {' or '.join(found)}: give more of it")
        return latest[found[0]]

    def read(self, version: str) -> bytes:
        """The bytes of a kept version, checked against its id (HistoryError if not)."""
        path = self.file(version)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise HistoryError(f"{path}: the kept copy of version {version} is gone "
                               "(pick another version)") from None
        except OSError as error:
            raise HistoryError(f"{path}: cannot read it ({error.strerror})") from None
        if version_of(raw) != version:
            raise HistoryError(f"{path}: damaged, it no longer holds version {version} "
                               "(pick another version)")
        return raw

    def current(self) -> bytes:
        """The menus file as it is now (HistoryError if it cannot be read)."""
        try:
            return self.menus_path.read_bytes()
        except OSError as error:
            raise HistoryError(f"{self.menus_path}: cannot read it ({error.strerror})") from None


def _parse(index: str) -> list[Entry]:
    entries = []
    for line in index.splitlines():
        fields = line.split(" ")
        if len(fields) == 3 and _VERSION.fullmatch(fields[1]) and fields[2] in HOW:
            entries.append(Entry(*fields))
    return entries


def diff_lines(old: bytes, new: bytes, old_label: str, new_label: str) -> list[str]:
    """A unified diff of two versions of the YAML, one line per item, without newlines."""
    return list(difflib.unified_diff(_lines(old), _lines(new), old_label, new_label,
                                     lineterm=""))


def _lines(raw: bytes) -> list[str]:
    # A version that went live is UTF-8; the file on disk now may not be.
    return raw.decode("utf-8", errors="replace").splitlines()
