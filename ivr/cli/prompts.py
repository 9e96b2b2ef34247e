"""`ivr prompts build|status|record`: render the prompts and see what callers hear."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

import click

from ivr.cli import shell
from ivr.core.model import Menus
from ivr.menus.problems import plural
from ivr.prompts.build import Busy
from ivr.prompts.build import RecordingError
from ivr.prompts.build import build as run_build
from ivr.prompts.build import load_manifest
from ivr.prompts.build import plan
from ivr.prompts.build import present_files
from ivr.prompts.build import record as add_recording
from ivr.prompts.build import unrecord
from ivr.prompts.catalogue import ENGINES
from ivr.prompts.catalogue import Job
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import Plan
from ivr.prompts.status import StatusReport
from ivr.prompts.tts import make_engine

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

Command = TypeVar("Command", bound=Callable[..., Any])


def _menus(path: Path) -> Menus:
    return shell.load_menus_file(path)


def _where(function: Command) -> Command:
    """The --menus and --dir options every prompts command takes, resolved when it runs."""

    @functools.wraps(function)
    def resolved(*args: Any, menus_path: Path | None, prompts_dir: Path | None,
                 **kwargs: Any) -> Any:
        menus = shell.menus_path(menus_path)
        return function(*args, menus_path=menus,
                        prompts_dir=shell.prompts_dir(prompts_dir, menus), **kwargs)

    return shell.menus_option(shell.prompts_dir_option(resolved))  # type: ignore[return-value]


_engine = click.option("--engine", type=click.Choice(ENGINES), default="gtts", show_default=True,
                       help="gtts: natural voice, needs the internet. espeak: offline, robotic.")
_langs = click.option("--lang", "langs", multiple=True, metavar="CODE",
                      help="Only this language (repeatable).")


@click.group(cls=shell.HelpGroup)
def prompts() -> None:
    """Render every sentence callers hear to audio, and see what is rendered."""


@prompts.command()
@_engine
@_langs
@click.option("--dry-run", is_flag=True, help="List what would be rendered; render nothing.")
@click.option("--prune", is_flag=True, help="Remove audio no sentence uses any more.")
@click.option("--jobs", type=click.IntRange(1, 16), help="Sentences rendered at once.")
@_where
def build(engine: str, langs: tuple[str, ...], dry_run: bool, prune: bool, jobs: int | None,
          menus_path: Path, prompts_dir: Path) -> None:
    """Render the sentences that are missing or changed."""
    menus = _menus(menus_path)
    _check_langs(menus, langs)
    try:
        if dry_run:
            _dry_run(menus, prompts_dir, engine, langs, prune)
            return
        _build(menus, prompts_dir, engine, langs, prune, jobs)
    except ManifestError as error:
        raise click.ClickException(f"{prompts_dir}/{error}") from error
    except Busy as error:
        raise click.ClickException(str(error)) from error


def _check_langs(menus: Menus, langs: tuple[str, ...]) -> None:
    unknown = [lang for lang in langs if lang not in menus.languages]
    if unknown:
        raise click.BadParameter(f"{unknown[0]!r} is not one of {', '.join(menus.languages)}",
                                 param_hint="--lang")


def _dry_run(menus: Menus, prompts_dir: Path, engine: str, langs: tuple[str, ...],
             prune: bool) -> None:
    found = plan(menus, prompts_dir, engine, langs)
    for job in found.todo:
        click.echo(f"render  {job.name}  {job.line.lang}  {job.line.text}")
    for name in found.unused if prune else ():
        click.echo(f"remove  {name}")
    total = len(found.todo) + len(found.done)
    click.echo(f"would render {len(found.todo)} of {plural(total, 'sentence')} with {engine} "
               f"({len(found.recorded)} recorded by hand)"
               + (f", remove {plural(len(found.unused), 'unused file')}" if prune else ""))


def _build(menus: Menus, prompts_dir: Path, engine_name: str, langs: tuple[str, ...],
           prune: bool, jobs: int | None) -> None:
    engine = make_engine(engine_name, jobs)
    bars: list[ProgressBar[int]] = []
    with ExitStack() as stack:

        def started(found: Plan) -> None:
            # Off a terminal click would print the label as a line of its own; a log then
            # gets the summary (or the one error line) alone.
            if found.todo and sys.stderr.isatty():
                label = f"rendering {len(found.todo)} with {engine_name}"
                bar: ProgressBar[int] = click.progressbar(
                    length=len(found.todo), label=label, file=sys.stderr, show_pos=True)
                bars.append(stack.enter_context(bar))

        def progress(job: Job, problem: str | None) -> None:
            for bar in bars:
                bar.update(1)

        result = run_build(menus, prompts_dir, engine, langs, prune, progress=progress,
                           started=started)
    done = len(result.rendered) + len(result.adopted)
    if result.no_network is not None:
        # One line and no summary: what was rendered is kept in the manifest, and the next
        # run (with a network) renders only the rest.
        kept = f"; {done} of {len(result.plan.todo)} rendered and kept" if done else ""
        click.echo(f"prompts build: {result.no_network}{kept}; render offline with "
                   "--engine espeak", err=True)
        sys.exit(1)
    left = len(result.plan.todo) - done
    click.echo(f"rendered {done}, kept {len(result.plan.done)}, recorded by hand "
               f"{len(result.plan.recorded)}, not rendered {left}"
               + (f", removed {len(result.pruned)} unused" if prune else ""))
    if result.failed:
        job, problem = result.failed[0]
        click.echo(f"prompts build: {len(result.failed)} failed, first {job.line.lang} "
                   f"{job.line.text!r}: {problem}", err=True)
        sys.exit(1)


def counts_by_language(plan: Plan, menus: Menus) -> dict[str, dict[str, int]]:
    """Per language: prompts, recorded, rendered, stale and missing sentences."""
    rows = {
        lang: dict.fromkeys(("prompts", "recorded", "rendered", "stale", "missing"), 0)
        for lang in menus.languages
    }
    for line in plan.unvoiced:
        rows[line.lang]["missing"] += 1
        rows[line.lang]["prompts"] += 1
    for key, lines in (("recorded", plan.recorded), ("rendered", plan.done)):
        for line in lines:
            rows[line.lang][key] += 1
            rows[line.lang]["prompts"] += 1
    stale = set(plan.stale)
    for job in plan.todo:
        rows[job.line.lang]["stale" if job.line in stale else "missing"] += 1
        rows[job.line.lang]["prompts"] += 1
    return {lang: row for lang, row in rows.items() if row["prompts"]}


@prompts.command()
@_engine
@_langs
@shell.format_option
@_where
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the counts, recordings and language_choice "
              "(seconds to each language's option).")
def status(engine: str, langs: tuple[str, ...], menus_path: Path, prompts_dir: Path,
           fmt: str) -> None:
    """Rendered, missing and stale per language; audio time to the menus."""
    menus = _menus(menus_path)
    _check_langs(menus, langs)
    try:
        found = plan(menus, prompts_dir, engine, langs)
        manifest = load_manifest(prompts_dir)
    except ManifestError as error:
        raise click.ClickException(f"{prompts_dir}/{error}") from error
    report = StatusReport(menus, manifest, present_files(prompts_dir), prompts_dir)
    counts = counts_by_language(found, menus)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(engine, counts), ensure_ascii=False, indent=1))
        return
    click.echo(f"{'lang':<6}{'prompts':>8}{'recorded':>10}{engine:>10}{'stale':>7}{'missing':>9}")
    for lang, row in counts.items():
        click.echo(f"{lang:<6}{row['prompts']:>8}{row['recorded']:>10}{row['rendered']:>10}"
                   f"{row['stale']:>7}{row['missing']:>9}")
    others = [e.engine for e in manifest.files.values() if e.engine not in (engine, "human")]
    for other in sorted(set(others)):
        click.echo(f"also {plural(others.count(other), 'file')} rendered with {other}")
    if found.unused:
        click.echo(f"{plural(len(found.unused), 'file')} no sentence uses "
                   "(remove: prompts build --prune)")
    if found.unused_recordings:
        click.echo(f"{plural(len(found.unused_recordings), 'recording')} of sentences no caller "
                   "hears now")
    for line in report.text_lines():
        click.echo(line)


@prompts.command()
@click.option("--lang", required=True, metavar="CODE", help="The sentence's language.")
@click.option("--text", required=True, help="The exact sentence, as `prompts build --dry-run` "
              "or the simulator shows it.")
@click.option("--remove", is_flag=True, help="Remove the recording instead of adding one.")
@click.argument("audio", required=False, type=click.Path(exists=True, dir_okay=False,
                                                          path_type=Path))
@_where
def record(lang: str, text: str, remove: bool, audio: Path | None, menus_path: Path,
           prompts_dir: Path) -> None:
    """Add (or --remove) a human recording of one sentence."""
    try:
        if remove:
            gone = unrecord(prompts_dir, lang, text)
            click.echo(f"removed {plural(len(gone), 'recording')} of {text!r} in {lang}")
            return
        if audio is None:
            raise click.UsageError("give the audio file (or --remove)")
        name = add_recording(_menus(menus_path), prompts_dir, lang, text, audio)
    except (RecordingError, ManifestError, Busy) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{name}: {lang} {text!r} (recorded by hand; kept by build and --prune)")
