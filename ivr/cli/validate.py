"""`python -m ivr validate [PATH]`: every problem in a menus file, or a one-line ok."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click

from ivr.core.model import Menus
from ivr.core.recorded import recording_progress
from ivr.menus.loader import check_menus_text
from ivr.menus.problems import Problem
from ivr.menus.problems import format_report
from ivr.menus.problems import plural
from ivr.menus.problems import sort_problems
from ivr.menus.problems import to_json
from ivr.menus.yamlsource import parse_yaml
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.index import PromptIndex


def read_menus_file(path: Path) -> str:
    """The file's text, or one ClickException line naming the file and the fix."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.ClickException(
            f"{name}: no such file (give the path of your menus file: "
            "python -m ivr validate PATH)"
        ) from None
    except IsADirectoryError:
        raise click.ClickException(
            f"{name}: is a folder, not a file (give the menus file)"
        ) from None
    except PermissionError:
        raise click.ClickException(
            f"{name}: not allowed to read it (check its permissions)"
        ) from None
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name}: not UTF-8 text at byte {error.start} (save the file as UTF-8)"
        ) from None
    except OSError as error:
        raise click.ClickException(f"{name}: cannot read it ({error.strerror})") from None
    if not text.strip():
        raise click.ClickException(
            f"{name}: the file is empty (start from a copy of the shipped menus.yaml)"
        )
    return text


def seed_names(path: Path) -> list[str] | None:
    """The file names in the seeds/ folder next to the menus file, or None if there is none."""
    folder = path.parent / "seeds"
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else None
    except OSError:
        return None  # an unreadable folder is no reason to fail validation


def ok_line(name: str, menus: Menus, warnings: list[Problem]) -> str:
    counts = ", ".join((
        plural(len(menus.languages), "language"),
        plural(len(menus.menus), "menu"),
        plural(len(menus.services), "service"),
    ))
    tail = f", {plural(len(warnings), 'warning')}" if warnings else ""
    return f"{name}: ok ({counts}){tail}"


def recording_notes(text: str, name: str, menus: Menus, prompts_dir: Path) -> list[Problem]:
    """A note per recorded-only language: how much is recorded, and whether it is offered."""
    if all(language.spoken for language in menus.languages.values()):
        return []
    try:
        index = PromptIndex.load(prompts_dir)
    except ManifestError:
        index = PromptIndex()  # `prompts status` says what is wrong with the manifest
    _, marks, _ = parse_yaml(text, name)
    notes = []
    for code, (done, needed) in recording_progress(menus, index.recorded).items():
        line, column = marks.locate_key(("languages", code))
        offered = "offered to callers" if needed and done == needed else (
            "not offered to callers until all are")
        written = "" if menus.complete(code) else " (texts not all written yet)"
        notes.append(Problem(name, line, column, "note", f"languages.{code}", f"spoken only "
                             f"by recordings: {done} of {needed} sentences recorded{written}; "
                             f"{offered}", "prompts record"))
    return notes


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD") from None


@click.command()
@click.argument("path", default="menus.yaml", type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints only a JSON list of problems.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--prompts", "prompts_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The prompts folder, for how much of a recorded-only language is "
              "recorded (default: prompts/ next to the menus file).")
# Golden tests pin the day so 'checked more than a year ago' does not drift with the clock.
@click.option("--today", callback=_day, hidden=True)
def validate(path: Path, output: str, strict: bool, prompts_dir: Path | None,
             today: datetime.date | None) -> None:
    """Check a menus file (default: ./menus.yaml) and say every problem in it.

    Each problem is one line, file:line:column: error|warning: path: message (hint).
    Exit 0 when valid, 1 when not (with --strict, also on warnings). Every key is
    explained in docs/menus.md.
    """
    text = read_menus_file(path)
    menus, problems = check_menus_text(text, str(path), today, seed_names(path))
    warnings = [p for p in problems if p.severity == "warning"]
    failed = menus is None or (strict and bool(warnings))
    if menus is not None:
        problems += recording_notes(text, str(path), menus, prompts_dir or path.parent / "prompts")
    if output == "json":
        click.echo(json.dumps(to_json(problems), ensure_ascii=False, indent=2))
    elif menus is None:
        click.echo(format_report(problems, str(path)))
    elif failed:
        click.echo(format_report(problems, str(path)) + " (--strict: warnings fail)")
    else:
        for problem in sort_problems(p for p in problems if p.severity != "error"):
            click.echo(problem.format())
        click.echo(ok_line(str(path), menus, warnings))
    if failed:
        raise SystemExit(1)
