"""`ivr validate [PATH]`: every problem in a menus file, or a one-line ok."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click

from ivr.cli.shell import check_menus_file
from ivr.cli.shell import menus_path
from ivr.core.model import Menus
from ivr.menus.problems import Problem
from ivr.menus.problems import format_report
from ivr.menus.problems import plural
from ivr.menus.problems import sort_problems
from ivr.menus.problems import to_json
from ivr.menus.summary import transfers


def ok_line(name: str, menus: Menus, warnings: list[Problem]) -> str:
    counts = ", ".join((
        plural(len(menus.languages), "language"),
        plural(len(menus.menus), "menu"),
        plural(len(menus.services), "service"),
    ))
    tail = f", {plural(len(warnings), 'warning')}" if warnings else ""
    return f"{name}: ok ({counts}; {transfers(menus)}){tail}"


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
# Golden tests pin the day so 'checked more than a year ago' does not drift with the clock.
@click.option("--today", callback=_day, hidden=True)
def validate(path: Path | None, output: str, strict: bool, today: datetime.date | None) -> None:
    """Check a menus file (default: $IVR_MENUS, else ./menus.yaml); say every problem.

    Each problem is one line, file:line:column: error|warning: path: message (hint).
    Exit 0 when valid, 1 when not (with --strict, also on warnings). Every key is
    explained in docs/menus.md.
    """
    path = menus_path(path)
    menus, problems = check_menus_file(path, today)
    warnings = [p for p in problems if p.severity == "warning"]
    failed = menus is None or (strict and bool(warnings))
    if output == "json":
        click.echo(json.dumps(to_json(problems), ensure_ascii=False, indent=2))
    elif menus is None:
        click.echo(format_report(problems, str(path)))
    elif failed:
        click.echo(format_report(problems, str(path)) + " (--strict: warnings fail)")
    else:
        for problem in sort_problems(warnings):
            click.echo(problem.format())
        click.echo(ok_line(str(path), menus, warnings))
    if failed:
        raise SystemExit(1)
