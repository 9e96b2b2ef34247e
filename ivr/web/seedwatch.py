"""Whether the live menus still pass against seeds/ as it is now (issue 22 item 1).

A version goes live only once `validate`'s checks pass against the seed documents beside
it. A seed file removed, renamed or made unreadable afterwards does not take that version
down (a starting process serves it from the last-good copy), but the operator must hear of
it: the next edit naming that file will be refused, and the facts callers hear have lost
their source. The live version is checked again, as at going live, whenever the folder
changes, and only when asked (/healthz), so a step never pays for it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ivr.menus.loader import SEEDS_FOLDER
from ivr.menus.loader import InvalidMenus
from ivr.menus.problems import Problem
from ivr.menus.problems import errors_first
from ivr.web.menufile import Stamp
from ivr.web.menufile import check_version
from ivr.web.menufile import folder_stamp

log = logging.getLogger(__name__)
FolderStamp = tuple[tuple[str, Stamp | None], ...]


class SeedWatch:
    """The live version's problems against seeds/ as it is now (none while it still passes)."""

    def __init__(self, menus_path: Path) -> None:
        self.folder = menus_path.parent / SEEDS_FOLDER
        self._lock = threading.Lock()
        self._path = menus_path
        self._raw = b""
        self._stamp: FolderStamp | None = None
        self._problems: tuple[Problem, ...] = ()

    def live(self, path: Path, raw: bytes, passed_with: FolderStamp | None) -> None:
        """The bytes `raw` (of the file at `path`) went live; `passed_with`: the folder's
        stamp they passed the check against, or None if they were not checked against it."""
        with self._lock:
            self._path, self._raw = path, raw
            self._stamp, self._problems = passed_with, ()

    def problems(self) -> tuple[Problem, ...]:
        """The errors `validate` would find in the live version now (a seed it names gone)."""
        with self._lock:
            now = folder_stamp(self.folder)
            if now != self._stamp:
                self._stamp = now
                self._changed(self._check())
            return self._problems

    def _check(self) -> tuple[Problem, ...]:
        try:
            check_version(self._path, self._raw)
        except InvalidMenus as error:
            return tuple(p for p in errors_first(error.problems) if p.severity == "error")
        return ()

    def _changed(self, found: tuple[Problem, ...]) -> None:
        if found and found != self._problems:
            log.error("the live menus no longer pass against the seed documents in %s (one "
                      "they name is gone, renamed or unreadable): callers are still answered, "
                      "but an edit will be refused until it is back: %s", self.folder,
                      "\n".join(problem.format() for problem in found))
        elif self._problems and not found:
            log.warning("the seed documents the live menus name are back in %s", self.folder)
        self._problems = found
