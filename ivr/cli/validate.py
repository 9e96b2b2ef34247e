"""`ivr validate [PATH]`: every problem in a menus file, or a one-line ok."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click

from ivr.cli.shell import check_menus_file
from ivr.cli.shell import menus_path
from ivr.cli.shell import read_menus_file
from ivr.core.model import Menus
from ivr.core.recorded import recording_progress
from ivr.menus.problems import Problem
from ivr.menus.problems import format_report
from ivr.menus.problems import plural
from ivr.menus.problems import sort_problems
from ivr.menus.problems import to_json
from ivr.menus.summary import transfers
from ivr.menus.yamlsource import parse_yaml
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.index import PromptIndex


def ok_line(name: str, menus: Menus, warnings: list[Problem]) -> str:
    counts = ", ".join((
        plural(len(menus.languages), "language"),
        plural(len(menus.menus), "menu"),
        plural(len(menus.services), "service"),
    ))
    tail = f", {plural(len(warnings), 'warning')}" if warnings else ""
    return f"{name}: ok ({counts}; {transfers(menus)}){tail}"


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
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints only a JSON list of problems.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--prompts", "prompts_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The prompts folder, for how much of a recorded-only language is "
              "recorded (default: prompts/ next to the menus file).")
# Golden tests pin the day so 'checked more than a year ago' does not drift with the clock.
@click.option("--today", callback=_day, hidden=True)
def validate(path: Path | None, output: str, strict: bool, prompts_dir: Path | None,
             today: datetime.date | None) -> None:
    """Check a menus file (default: $IVR_MENUS, else ./menus.yaml); say every problem.

    Each problem is one line, file:line:column: error|warning: path: message (hint).
    Exit 0 when valid, 1 when not (with --strict, also on warnings). Every key is
    explained in docs/menus.md.
    """
    path = menus_path(path)
    menus, problems = check_menus_file(path, today)
    warnings = [p for p in problems if p.severity == "warning"]
    failed = menus is None or (strict and bool(warnings))
    if menus is not None:
        problems += recording_notes(read_menus_file(path), str(path), menus,
                                    prompts_dir or path.parent / "prompts")
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
