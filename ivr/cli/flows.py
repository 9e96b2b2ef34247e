"""`ivr flows run|coverage`: call-flow scenarios through the real webhook, offline."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click
from flask import Flask

from ivr.atomicfile import write_atomic
from ivr.cli.shell import PROG
from ivr.cli.shell import HelpGroup
from ivr.cli.shell import format_option
from ivr.cli.shell import menus_option
from ivr.cli.shell import menus_path as resolve_menus
from ivr.cli.shell import open_simulation
from ivr.qa.flowcoverage import coverage_json
from ivr.qa.flowcoverage import measure
from ivr.qa.flowcoverage import render_coverage
from ivr.qa.flowgen import generated_files
from ivr.qa.scenariofile import InvalidScenarios
from ivr.qa.scenarios import Result
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import load_scenarios
from ivr.qa.scenarios import render_failure
from ivr.qa.scenarios import run_scenario

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path)
)


def default_flows(menus_path: Path | None) -> Path:
    """The flows/ folder beside the menus file, where scenario files live by default."""
    folder = resolve_menus(menus_path).parent / "flows"
    if not folder.is_dir():
        raise click.ClickException(
            f"{folder}: no such folder (scenario files live in flows/ beside menus.yaml; "
            "or give the files or folders to run)"
        )
    # Relative names, so each "file:line" in the report opens from where it was run.
    return Path(os.path.relpath(folder))


def run_all(app: Flask, paths: tuple[Path, ...], menus_path: Path | None) -> list[Result]:
    menus = app_menus(app)
    try:
        scenarios = load_scenarios(paths or (default_flows(menus_path),), menus)
    except InvalidScenarios as error:
        for problem in error.problems:
            click.echo(problem.format(), err=True)
        count = len(error.problems)
        raise click.ClickException(f"{count} problem(s) in the scenario files") from None
    if not scenarios:
        raise click.ClickException("no scenarios found (scenario files are *.yaml)")
    return [run_scenario(app, menus, scenario) for scenario in scenarios]


@click.group(cls=HelpGroup)
def flows() -> None:
    """Call-flow scenarios (flows/*.yaml beside the menus): run them, or see what they miss."""


@flows.command()
@paths_argument
@menus_option
@format_option
def run(paths: tuple[Path, ...], menus_path: Path | None, fmt: str) -> None:
    """Run scenarios (default: flows/ beside the menus); exit 1 if any fails."""
    started = time.perf_counter()
    results = run_all(open_simulation(menus_path), paths, menus_path)
    failed = [r for r in results if not r.passed]
    if fmt == "json":
        click.echo(json.dumps([_result_json(r) for r in results], ensure_ascii=False, indent=1))
    else:
        for result in results:
            scenario = result.scenario
            if result.passed:
                click.echo(f"ok   {scenario.file}:{scenario.line}: {scenario.name}")
            else:
                click.echo(render_failure(result))
        seconds = time.perf_counter() - started
        click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed in {seconds:.1f} s")
    if failed:
        raise SystemExit(1)


def _result_json(result: Result) -> dict[str, object]:
    failure = result.failure
    return {
        "file": result.scenario.file,
        "line": result.scenario.line,
        "name": result.scenario.name,
        "passed": result.passed,
        "failure": None if failure is None else {
            "step": failure.step, "line": failure.line, "what": failure.what,
            "expected": failure.expected, "got": failure.got,
            "heard": [e.as_dict() for e in failure.heard if e.kind == "heard"],
        },
    }


@flows.command()
@paths_argument
@menus_option
@format_option
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 if coverage is below this percent (for CI).")
def coverage(paths: tuple[Path, ...], menus_path: Path | None, fmt: str,
             fail_under: float | None) -> None:
    """Which menus, options, needs x regions, services, keys and outcomes no scenario reached."""
    app = open_simulation(menus_path)
    results = run_all(app, paths, menus_path)
    report = measure(app_menus(app), [r.transcript for r in results])
    if fmt == "json":
        click.echo(json.dumps(coverage_json(report), ensure_ascii=False, indent=1))
    else:
        click.echo(render_coverage(report))
    failed = sum(1 for r in results if not r.passed)
    if failed and fail_under is not None:
        # A CI gate must not pass on scenarios that fail, whatever they covered.
        raise click.ClickException(f"{failed} scenario(s) failed; run `{PROG} flows run`")
    if failed:
        click.echo(f"note: {failed} scenario(s) failed; run `{PROG} flows run`", err=True)
    if fail_under is not None and report.percent < fail_under:
        raise click.ClickException(f"coverage {report.percent:.1f} % is under {fail_under:g} %")


@flows.command()
@menus_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder to write into (default: flows/ beside the menus).")
def generate(menus_path: Path | None, out_dir: Path | None) -> None:
    """Write the scenarios made from the menus: readouts_<lang>.yaml per offered language
    and language_menu.yaml. Old readouts_*.yaml of languages no longer offered are removed."""
    files = generated_files(app_menus(open_simulation(menus_path)))
    out_dir = out_dir or resolve_menus(menus_path).parent / "flows"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("readouts_*.yaml"):
        if old.name not in files:
            old.unlink()
            click.echo(f"removed {old}")
    for name, text in files.items():
        write_atomic(out_dir / name, text.encode("utf-8"))
        click.echo(f"wrote {out_dir / name}")
