"""The menus and prompt index the webhook serves: the last valid ones, reloaded on change.

A valid new menus.yaml goes live for the next step of every call; an invalid one never
does, and the reason is logged once per file content (mkdocs livereload keeps the last good
build the same way). The warnings of a version (`ivr validate` shows the same) are
logged when it goes live, at start-up or on reload.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ivr.core.model import Menus
from ivr.core.recorded import fully_recorded
from ivr.menus.loader import SEEDS_FOLDER
from ivr.menus.loader import InvalidMenus
from ivr.menus.problems import Problem
from ivr.menus.problems import errors_first
from ivr.prompts.index import PromptIndex
from ivr.web.history import History
from ivr.web.menufile import SETTLE
from ivr.web.menufile import LastGood
from ivr.web.menufile import Settling
from ivr.web.menufile import Stamp
from ivr.web.menufile import check_version
from ivr.web.menufile import folder_stamp
from ivr.web.menufile import read_version
from ivr.web.menufile import stamp
from ivr.web.seedwatch import SeedWatch

log = logging.getLogger(__name__)


class MenusUnavailable(RuntimeError):
    """The menus could not be loaded at start-up: there is nothing to serve."""


def problems_of(path: Path, error: Exception) -> tuple[Problem, ...]:
    """Why a version of the menus file cannot go live, as problems (errors first)."""
    if isinstance(error, InvalidMenus):
        return tuple(errors_first(error.problems))
    return (Problem(str(path), 0, 0, "error", "", f"{type(error).__name__}: {error}"),)


def unreadable(path: Path, error: OSError) -> tuple[Problem, ...]:
    return (Problem(str(path), 0, 0, "error", "", f"cannot read {path}: {error}",
                    "check the file's permissions and that it exists"),)


def describe(problems: tuple[Problem, ...]) -> str:
    """One line per problem, as `ivr validate` prints them."""
    return "\n".join(problem.format() for problem in problems)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class MenuStore:
    """Holds the live Menus and PromptIndex; checks their files at most every `interval` s."""

    def __init__(
        self,
        menus_path: Path,
        prompts_dir: Path,
        allow_offline_prompts: bool = False,
        interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        prompts_on_disk: bool = True,
        settle: float = SETTLE,
        wall: Callable[[], float] = time.time,
        keep_history: bool = True,
    ) -> None:
        self.menus_path = Path(menus_path)
        self.prompts_dir = Path(prompts_dir)
        self.allow_offline_prompts = allow_offline_prompts
        self.prompts_on_disk = prompts_on_disk
        """False when the audio is served from a CDN: files are then not looked for here."""
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._checked = clock()
        self._settling = Settling(settle, clock, wall)
        self.last_good = LastGood(self.menus_path)
        self.history = History(self.menus_path) if keep_history else None
        """Where each version that goes live is kept (None: a simulation, which serves no one)."""
        self.rejected: tuple[Problem, ...] = ()
        """The problems of the last edit of the file that did not go live (errors first);
        empty while what is live is the file as it is."""
        self._failed_digest: str | None = None
        self._menus_stamp: Stamp | None = None
        self._seeds = self.menus_path.parent / SEEDS_FOLDER
        self._seeds_stamp = folder_stamp(self._seeds)
        self.seeds = SeedWatch(self.menus_path)
        """The live version checked again when seeds/ changes (a seed it names gone)."""
        self._menus = self._start()
        self.loaded_at = _now()
        self._prompts_stamp = stamp(self._manifest)
        index = self._load_prompts()
        self._manifest_broken = index is None
        self._prompts = index if index is not None else PromptIndex()
        self._offer_recorded()

    def _start(self) -> Menus:
        """The file's menus; while it is broken or still being written, the last good copy."""
        try:
            version = read_version(self.menus_path) or read_version(self.menus_path)
        except OSError as error:
            return self._start_from_last_good(unreadable(self.menus_path, error), error)
        except InvalidMenus as error:  # too big to read
            return self._start_from_last_good(problems_of(self.menus_path, error), error)
        if version is None or (
            not self._settling.settled(version) and self.last_good.path.is_file()
        ):
            return self._start_from_last_good((), None)  # read again at the first check
        self._menus_stamp = version.stamp
        try:
            menus, warnings = check_version(self.menus_path, version.raw)
        except InvalidMenus as error:
            self._failed_digest = hashlib.sha256(version.raw).hexdigest()
            return self._start_from_last_good(problems_of(self.menus_path, error), error)
        self.last_good.save(version.raw)
        if self.history is not None:
            self.history.record(version.raw, "start")
        self.seeds.live(self.menus_path, version.raw, self._seeds_stamp)
        self._warn(warnings)
        return menus

    def _start_from_last_good(self, problems: tuple[Problem, ...], error: Exception | None
                              ) -> Menus:
        # Only with no valid version at all may a process refuse to start: a gunicorn
        # worker that exits at boot makes the master stop the whole server (item 1; and
        # issue 22 item 1: the copy is not refused for a seed file gone since it went live).
        try:
            raw, menus, warnings = self.last_good.load()
        except (OSError, InvalidMenus) as copy_error:
            copy = ("there is no last-good copy" if isinstance(copy_error, OSError)
                    else f"{self.last_good.path} is not valid either")
            raise MenusUnavailable(
                f"cannot serve {self.menus_path}:\n{describe(problems) or 'it was being written'}\n"
                f"({copy}; run `ivr validate {self.menus_path}`)"
            ) from error or copy_error
        if self._failed_digest is not None and self._failed_digest[:12] == menus.version:
            # The file is the copy: it is the live version, refused now only because a seed
            # file it names is gone; that is for the seed watch to say, not a rejected edit.
            self._failed_digest = None
            self.seeds.live(self.menus_path, raw, None)
            self.seeds.problems()  # logs what is missing
            self._warn(warnings)
            return menus
        self.seeds.live(self.last_good.path, raw, None)
        self.rejected = problems
        if problems:
            log.error("menus file not valid at start, serving the last-good copy %s "
                      "(version %s): %s", self.last_good.path, menus.version, describe(problems))
        self._warn(warnings)
        return menus

    @property
    def _manifest(self) -> Path:
        return self.prompts_dir / "manifest.json"

    def menus(self) -> Menus:
        """The live menus (after a reload check if one is due)."""
        self._maybe_reload()
        return self._menus

    def prompts(self) -> PromptIndex:
        """The live prompt index (after a reload check if one is due)."""
        self._maybe_reload()
        return self._prompts

    def snapshot(self) -> tuple[Menus, PromptIndex]:
        """The live menus and prompt index together (one reload check)."""
        self._maybe_reload()
        return self._menus, self._prompts

    def current(self) -> Menus:
        """The live menus without a reload check (for error paths)."""
        return self._menus

    def status(self) -> str:
        """ok; seeds_missing: a seed file the live menus name is gone (issue 22 item 1);
        stale: an edit of menus.yaml did not go live. Calls are answered in every case."""
        self._maybe_reload()
        return "seeds_missing" if self.seeds.problems() else "stale" if self.rejected else "ok"

    def _maybe_reload(self) -> None:
        now = self._clock()
        if now - self._checked < self.interval or not self._lock.acquire(blocking=False):
            return  # another thread is checking; it will swap in anything new
        try:
            self._checked = now
            self._reload_menus()
            self._reload_prompts()
        finally:
            self._lock.release()

    def _reload_menus(self) -> None:
        current = stamp(self.menus_path)
        if current == self._menus_stamp and not self._seeds_changed_while_refused():
            return
        self._seeds_stamp = folder_stamp(self._seeds)  # before the check reads them
        try:
            version = read_version(self.menus_path)
        except OSError as error:
            self._menus_stamp = current
            self._reject(f"missing:{error.errno}", unreadable(self.menus_path, error))
            return
        except InvalidMenus as error:  # too big to read
            self._menus_stamp = current
            self._reject(f"size:{current.size if current else 0}",
                         problems_of(self.menus_path, error))
            return
        if version is None:
            return  # written to while we read it: look again at the next check
        digest = hashlib.sha256(version.raw).hexdigest()
        if digest[:12] == self._menus.version:
            # Back to what is live (an undo, a checkout): nothing is stale any more (item 10).
            self._menus_stamp = version.stamp
            self.rejected, self._failed_digest = (), None
            return
        if not self._settling.settled(version):
            return  # maybe half a write: only a file that stood still goes live (item 6)
        self._menus_stamp = version.stamp
        try:
            menus, warnings = check_version(self.menus_path, version.raw)
        except InvalidMenus as error:
            self._reject(digest, problems_of(self.menus_path, error))
            return
        self._menus, self.loaded_at = menus, _now()
        self._offer_recorded()
        self.rejected, self._failed_digest = (), None
        log.info("menus reloaded from %s: version %s", self.menus_path, menus.version)
        self.last_good.save(version.raw)
        if self.history is not None:
            self.history.record(version.raw, "reload")
        self.seeds.live(self.menus_path, version.raw, self._seeds_stamp)
        self._warn(warnings)

    def _seeds_changed_while_refused(self) -> bool:
        # While an edit is refused, a change in seeds/ (the source it named, copied after
        # it) is reason to check the same file again. A live version is not rechecked, so
        # the folder is listed only while the server is stale.
        return bool(self.rejected) and folder_stamp(self._seeds) != self._seeds_stamp

    def _warn(self, warnings: list[str]) -> None:
        # Valid is not the same as safe: 112 forwarding switched on, or a directory entry
        # not checked for a year, must reach whoever reads the server log. Called only when
        # a version goes live (a touched but unchanged file is not reparsed): once a version.
        for warning in warnings:
            log.warning("%s", warning)

    def _reject(self, digest: str, problems: tuple[Problem, ...]) -> None:
        self.rejected = problems
        if digest != self._failed_digest:
            self._failed_digest = digest
            log.error("menus not reloaded, still serving version %s: %s", self._menus.version,
                      describe(problems))

    def _reload_prompts(self) -> None:
        # A file deleted without a manifest change is noticed here, at the reload check,
        # and not per lookup: the webhook caches whole answers per prompts version, so only
        # a new index (a new version) stops a cached <Play> of it. Listing the folder costs
        # about 4 ms for 800 files (a stat each), once per check interval.
        manifest = stamp(self._manifest)
        if manifest == self._prompts_stamp and (
            self._manifest_broken or not self._prompts.files_changed(self.prompts_dir)
        ):
            return  # (a broken manifest is logged once, then waits for the next change)
        self._prompts_stamp = manifest
        index = self._load_prompts()
        self._manifest_broken = index is None
        if index is not None:
            self._prompts = index
            self._offer_recorded()

    def _offer_recorded(self) -> None:
        # A recorded-only language is offered once every sentence of it is recorded
        # (ivr/core/recorded.py); recomputed whenever the menus or the recordings change.
        recorded = fully_recorded(self._menus, self._prompts.recorded)
        if recorded != self._menus.recorded:
            self._menus = dataclasses.replace(self._menus, recorded=recorded)

    def _load_prompts(self) -> PromptIndex | None:
        try:
            return PromptIndex.load(
                self.prompts_dir, self.allow_offline_prompts, check_files=self.prompts_on_disk
            )
        except Exception as error:  # noqa: BLE001 - a bad manifest must not stop the calls
            log.error("prompts manifest not loaded, keeping the previous one: %s", error)
            return None
