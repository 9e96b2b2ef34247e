"""The incremental prompts build, and human recordings: everything that writes prompts/.

Every file goes to a temporary name in the same folder, is checked, then os.replace'd into
place, and the manifest is rewritten the same way after each file: a ^C, a crash or a lost
network at any moment leaves only whole files and a manifest that lists exactly them.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from ivr import atomicfile
from ivr.core.model import Menus
from ivr.prompts.audioformat import BadAudio
from ivr.prompts.audioformat import check_audio
from ivr.prompts.catalogue import HUMAN
from ivr.prompts.catalogue import MANIFEST
from ivr.prompts.catalogue import Entry
from ivr.prompts.catalogue import Job
from ivr.prompts.catalogue import Manifest
from ivr.prompts.catalogue import Plan
from ivr.prompts.catalogue import catalogue
from ivr.prompts.catalogue import is_prompt_name
from ivr.prompts.catalogue import parse_manifest
from ivr.prompts.catalogue import plan_build
from ivr.prompts.catalogue import recording_name
from ivr.prompts.catalogue import render_manifest
from ivr.prompts.lock import Busy as Busy  # raised by build and record: importable here
from ivr.prompts.lock import locked
from ivr.prompts.tts import Engine
from ivr.prompts.tts import NoNetwork
from ivr.prompts.tts import RenderError

SAVE_EVERY = 1.0
"""Seconds between writes of the manifest while a build renders (and at its end)."""

Progress = Callable[[Job, str | None], None]
"""Called after each sentence with its job and None, or the reason it failed."""


@dataclass
class BuildResult:
    plan: Plan
    rendered: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    """Whole files found on disk but missing from the manifest (e.g. after a kill -9)."""
    failed: list[tuple[Job, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    no_network: NoNetwork | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write a prompt file or the manifest whole; audio is checked as it is on disk first."""

    def check(temp: Path) -> None:
        if path.suffix in (".mp3", ".wav"):
            check_audio(temp.read_bytes(), path.suffix)  # what is on disk, not in memory

    atomicfile.write_atomic(path, data, check)


def load_manifest(prompts_dir: Path) -> Manifest:
    """The manifest in prompts_dir (empty if there is none yet)."""
    try:
        return parse_manifest((prompts_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()


def save_manifest(prompts_dir: Path, manifest: Manifest) -> None:
    write_atomic(prompts_dir / MANIFEST, render_manifest(manifest).encode())


def present_files(prompts_dir: Path) -> set[str]:
    """Prompt audio files in the folder (temp files and anything else ignored)."""
    if not prompts_dir.is_dir():
        return set()
    return {p.name for p in prompts_dir.iterdir() if is_prompt_name(p.name)}


def plan(menus: Menus, prompts_dir: Path, engine: str, langs: Iterable[str] = ()) -> Plan:
    """What `build` would do, without doing it (--dry-run and `prompts status`)."""
    return plan_build(menus, load_manifest(prompts_dir), present_files(prompts_dir), engine, langs)


def _entry(job: Job, engine: str, seconds: float) -> Entry:
    return Entry(job.line.lang, job.line.text, engine, dict(job.settings), seconds)


def _adopt(prompts_dir: Path, manifest: Manifest, job: Job, engine: str) -> bool:
    try:
        seconds = check_audio((prompts_dir / job.name).read_bytes())
    except (OSError, BadAudio):
        return False
    manifest.files[job.name] = _entry(job, engine, seconds)
    return True


def _render_all(
    prompts_dir: Path, manifest: Manifest, engine: Engine, jobs: list[Job], result: BuildResult,
    progress: Progress,
) -> None:
    queue = iter(jobs)
    saved = Saving(prompts_dir, manifest)
    with ThreadPoolExecutor(max_workers=max(1, engine.jobs)) as pool:
        running: dict[Future[tuple[bytes, float]], Job] = {}
        try:
            while True:
                # Bounded: at most engine.jobs requests in flight, none started after a failure.
                while result.no_network is None and len(running) < max(1, engine.jobs):
                    job = next(queue, None)
                    if job is None:
                        break
                    running[pool.submit(engine.render, job.line.text, job.settings)] = job
                if not running:
                    return
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    job = running.pop(future)
                    if _finish(prompts_dir, manifest, engine, job, future, result, progress):
                        saved.changed()
        except BaseException:
            for future in running:
                future.cancel()
            raise
        finally:
            saved.now()


class Saving:
    """Writes the manifest at most every SAVE_EVERY seconds while files are rendered, and
    when asked (the end of a build, or its interruption).

    After each file it cost a rewrite of the whole growing manifest: 1,200 files took 27 s
    of writes. A file on disk that a killed build had not listed yet is adopted by the next
    build, not rendered again (_adopt); the manifest never lists a file not yet on disk.
    """

    def __init__(self, prompts_dir: Path, manifest: Manifest) -> None:
        self.prompts_dir, self.manifest = prompts_dir, manifest
        self.pending = False
        self.last = time.monotonic()

    def changed(self) -> None:
        self.pending = True
        if time.monotonic() - self.last >= SAVE_EVERY:
            self.now()

    def now(self) -> None:
        if self.pending:
            save_manifest(self.prompts_dir, self.manifest)
            self.pending, self.last = False, time.monotonic()


def _finish(
    prompts_dir: Path, manifest: Manifest, engine: Engine, job: Job,
    future: Future[tuple[bytes, float]], result: BuildResult, progress: Progress,
) -> bool:
    """Keep one rendered file; True when it was added to the manifest (not yet saved)."""
    try:
        data, seconds = future.result()
        write_atomic(prompts_dir / job.name, data)
    except NoNetwork as error:
        result.no_network = result.no_network or error
        result.failed.append((job, str(error)))
        progress(job, str(error))
        return False
    except (RenderError, BadAudio) as error:
        result.failed.append((job, str(error)))
        progress(job, str(error))
        return False
    manifest.files[job.name] = _entry(job, engine.name, seconds)
    result.rendered.append(job.name)
    progress(job, None)
    return True


def _prune(prompts_dir: Path, manifest: Manifest, plan_: Plan) -> list[str]:
    known = set(manifest.files)
    strays = {n for n in present_files(prompts_dir) - known if f"-{HUMAN}-" not in n}
    pruned = sorted(set(plan_.unused) | strays)
    for name in pruned:
        manifest.files.pop(name, None)
    save_manifest(prompts_dir, manifest)  # first forget the files, then delete them
    for name in pruned:
        (prompts_dir / name).unlink(missing_ok=True)
    return pruned


def build(
    menus: Menus,
    prompts_dir: Path,
    engine: Engine,
    langs: Iterable[str] = (),
    prune: bool = False,
    progress: Progress = lambda job, problem: None,
    started: Callable[[Plan], None] = lambda plan: None,
) -> BuildResult:
    """Render what is missing or changed; stop early (keeping what is done) without a network.

    `started` gets the plan before any work, `progress` each sentence done.
    """
    with locked(prompts_dir):
        return _build(menus, prompts_dir, engine, langs, prune, progress, started)


def _build(
    menus: Menus, prompts_dir: Path, engine: Engine, langs: Iterable[str], prune: bool,
    progress: Progress, started: Callable[[Plan], None],
) -> BuildResult:
    manifest = load_manifest(prompts_dir)
    present = present_files(prompts_dir)
    result = BuildResult(plan_build(menus, manifest, present, engine.name, langs))
    started(result.plan)
    if result.plan.absent:
        for name in result.plan.absent:
            del manifest.files[name]
        save_manifest(prompts_dir, manifest)
    todo = []
    for job in result.plan.todo:
        if _adopt(prompts_dir, manifest, job, engine.name):
            result.adopted.append(job.name)
            progress(job, None)
        else:
            todo.append(job)
    if result.adopted:
        save_manifest(prompts_dir, manifest)
    _render_all(prompts_dir, manifest, engine, todo, result, progress)
    if prune and result.no_network is None:
        result.pruned = _prune(prompts_dir, manifest, result.plan)
    return result


# --- human recordings ---------------------------------------------------------------------


class RecordingError(ValueError):
    """A recording cannot be added: unknown sentence or not audio."""


def _check_sentence(menus: Menus, lang: str, text: str) -> None:
    if lang not in menus.languages:
        raise RecordingError(f"no language {lang!r} in the menus ({', '.join(menus.languages)})")
    heard = [line.text for line in catalogue(menus, [lang])]
    if text not in heard:
        close = difflib.get_close_matches(text, heard, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise RecordingError(f"no caller hears {text!r} in {lang}{hint}")


def record(menus: Menus, prompts_dir: Path, lang: str, text: str, source: Path) -> str:
    """Add an operator's recording of one sentence; it replaces any earlier recording of it."""
    _check_sentence(menus, lang, text)
    suffix = source.suffix.lower()
    if suffix not in (".mp3", ".wav"):
        raise RecordingError(f"{source.name}: give an .mp3 or .wav file")
    data = source.read_bytes()
    try:
        seconds = check_audio(data, suffix)
    except BadAudio as error:
        raise RecordingError(f"{source.name}: {error}") from error
    name = recording_name(lang, data, suffix)
    with locked(prompts_dir):
        write_atomic(prompts_dir / name, data)
        manifest = load_manifest(prompts_dir)
        old = [n for n, e in manifest.for_line(lang, text).items() if e.engine == HUMAN]
        old = [n for n in old if n != name]
        manifest.files[name] = Entry(lang, text, HUMAN, {"source": source.name}, seconds)
        _forget(prompts_dir, manifest, old)
    return name


def unrecord(prompts_dir: Path, lang: str, text: str) -> list[str]:
    """Remove the recordings of one sentence (the engines' renders play again)."""
    with locked(prompts_dir):
        manifest = load_manifest(prompts_dir)
        gone = [n for n, e in manifest.for_line(lang, text).items() if e.engine == HUMAN]
        _forget(prompts_dir, manifest, gone)
    return gone


def _forget(prompts_dir: Path, manifest: Manifest, names: list[str]) -> None:
    # The manifest stops naming the files before they go, so nothing ever plays a gone file.
    for name in names:
        del manifest.files[name]
    save_manifest(prompts_dir, manifest)
    for name in names:
        (prompts_dir / name).unlink(missing_ok=True)
