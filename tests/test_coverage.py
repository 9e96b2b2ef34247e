"""Flows coverage: the shipped scenarios reach everything, and gaps are named."""

import json

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.qa.flowcoverage import all_items
from ivr.qa.flowcoverage import measure
from ivr.qa.flowcoverage import render_coverage
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import load_scenarios
from ivr.qa.scenarios import run_scenario
from ivr.qa.scenarios import simulation_app
from ivr.qa.transcript import Event
from ivr.qa.transcript import Transcript
from tests.conftest import ROOT

FLOWS = ROOT / "flows"


@pytest.fixture(scope="module")
def shipped():
    app = simulation_app()
    menus = app_menus(app)
    return app, menus, [run_scenario(app, menus, s) for s in load_scenarios([FLOWS], menus)]


def test_the_shipped_scenarios_pass_and_reach_everything(shipped):
    _, menus, results = shipped
    assert [r.scenario.name for r in results if not r.passed] == []
    coverage = measure(menus, [r.transcript for r in results])
    assert {kind: coverage.missing(kind) for kind in coverage.items} == {
        kind: [] for kind in coverage.items}
    assert coverage.percent == 100.0


def test_the_items_follow_the_menus(shipped):
    _, menus, _ = shipped
    items = all_items(menus)
    assert {kind: len(v) for kind, v in items.items()} == {
        "menus": 1 + 3 * 6,
        "options": 3 + 3 * (3 + 3 + 3 + 3 + 7 + 3),
        "needs x regions": 3 * 9 * 7,
        "services": 3 * 12,
        "global keys": 7 * 4,
        "silence limit": 7,
        "wrong key limit": 7,
        "transfer outcomes": 4,
    }
    assert items["needs x regions"][0] == "fi:safe_housing x capital_region"


def test_a_partial_run_names_what_it_never_reached(shipped):
    _, menus, results = shipped
    languages = [r.transcript for r in results if r.scenario.file.endswith("languages.yaml")]
    coverage = measure(menus, languages)
    assert coverage.missing("menus") == [
        f"{lang}:{m}" for lang in ("fi", "sv", "en")
        for m in ("needs_safety", "needs_legal", "needs_exploitation", "region", "services")]
    assert coverage.missing("transfer outcomes") == ["completed", "busy", "no-answer", "failed"]
    assert sorted(coverage.reached["options"]) == ["language.1", "language.2", "language.3"]
    report = render_coverage(coverage, show=2)
    assert report.splitlines()[:3] == [
        f"flows coverage: {coverage.covered}/359 ({coverage.percent:.1f} %)",
        "  menus              4/19",
        "    not reached: fi:needs_safety, fi:needs_legal (and 13 more)",
    ]


def events(*items):
    return Transcript([Event(kind, menu=menu, keys=keys, text=text, lang=lang)
                       for kind, menu, keys, text, lang in items])


def test_limits_count_only_failures_in_a_row_in_one_menu(shipped):
    _, menus, _ = shipped
    heard = ("heard", "main", None, "Main menu.", "en")
    silence = ("silence", "main", None, None, None)
    interrupted = events(heard, silence, heard, silence, ("pressed", "main", "*", None, None),
                         heard, silence, heard)
    assert measure(menus, [interrupted]).reached["silence limit"] == set()
    in_a_row = events(heard, silence, heard, silence, heard, silence)
    assert measure(menus, [in_a_row]).reached["silence limit"] == {"main"}
    wrong = ("pressed", "region", "8", None, None)
    keys = events(("heard", "region", None, "Choose your region.", "sv"), wrong, wrong, wrong,
                  ("pressed", "region", "#", None, None), ("pressed", "region", "7", None, None))
    reached = measure(menus, [keys]).reached
    assert reached["wrong key limit"] == {"region"}
    assert reached["global keys"] == {"region:back"}
    assert reached["options"] == {"sv:region.7"}


def test_flows_coverage_fails_under_the_threshold(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("name: one\nsteps: [{press: '9'}]\nends: emergency\n")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["flows", "coverage", str(one), "--fail-under", "50"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "flows coverage: 2/359 (0.6 %)"
    assert result.stderr == "Error: coverage 0.6 % is under 50 %\n"
    result = CliRunner().invoke(cli, ["flows", "coverage", str(one), "--format", "json"])
    data = json.loads(result.output)
    assert (result.exit_code, data["covered"], data["total"]) == (0, 2, 359)
    assert data["kinds"]["global keys"]["missing"][:2] == ["language:repeat", "language:back"]


def test_flows_coverage_with_a_gate_fails_when_a_scenario_fails(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("name: one\nsteps: [{press: '9'}]\nends: hangup\n")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["flows", "coverage", str(one), "--fail-under", "0"])
    assert result.exit_code == 1
    assert result.stderr == "Error: 1 scenario(s) failed; run `ivr flows run`\n"
