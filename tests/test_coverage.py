"""Flows coverage: the shipped scenarios reach everything, and gaps are named."""

import json

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.qa.flowcoverage import all_items
from ivr.qa.flowcoverage import measure
from ivr.qa.flowcoverage import render_coverage
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import load_scenarios
from ivr.qa.scenarios import run_scenario
from ivr.qa.scenarios import simulation_app
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.qa.transcript import Transcript
from tests.conftest import MAIN_EN
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
    langs = len(menus.offered())  # nine today; the counts follow any set of languages
    pages = len(script.language_pages(menus))  # the second language menu, under 8
    menu_count = 1 + pages + len(menus.menus)
    assert {kind: len(v) for kind, v in items.items()} == {
        "menus": 1 + pages + langs * len(menus.menus),
        "options": langs + langs * sum(len(m.options) for m in menus.menus.values()),
        # A need in a region only where the region changes its services (issue 19).
        "needs x regions": langs * len(script.told_pairs(menus)),
        "services": langs * len(menus.services),
        "global keys": menu_count * 4,
        "silence limit": menu_count,
        # Every key of the first language menu chooses a language: no wrong key there.
        "wrong key limit": menu_count - 1,
        "transfer outcomes": 4,
    }
    assert items["needs x regions"][:2] == ["fi:safe_housing x whole_country",
                                            "fi:safe_housing x capital_region"]
    # Six needs a region changes, in the whole country and 7 regions; legal advice, returning
    # home and work exploitation in the whole country only.
    assert len(script.told_pairs(menus)) == 6 * 8 + 3
    assert "fi:legal x oulu" not in items["needs x regions"]


def test_a_partial_run_names_what_it_never_reached(shipped):
    _, menus, results = shipped
    languages = [r.transcript for r in results if r.scenario.file.endswith("languages.yaml")]
    coverage = measure(menus, languages)
    offered = [language.code for language in menus.offered()]
    reached = {"fi", "sv", "en"}  # languages.yaml chooses each greeting language
    assert coverage.missing("menus") == ["language-8"] + [
        f"{lang}:{m}" for lang in offered
        for m in ("main", "needs_safety", "needs_legal", "needs_exploitation", "region",
                  "services") if lang not in reached or m != "main"]
    assert coverage.missing("transfer outcomes") == ["completed", "busy", "no-answer", "failed"]
    assert sorted(coverage.reached["options"]) == ["language.1", "language.2", "language.3"]
    report = render_coverage(coverage, show=2)
    total = sum(len(v) for v in all_items(menus).values())
    menus_total = len(all_items(menus)["menus"])
    assert report.splitlines()[:3] == [
        f"flows coverage: {coverage.covered}/{total} ({coverage.percent:.1f} %)",
        f"  menus              4/{menus_total}",
        f"    not reached: language-8, fi:needs_safety (and {menus_total - 6} more)",
    ]


def test_a_read_out_counts_the_need_and_region_its_keys_chose(shipped):
    # The whole country's read-out straight after the need, then a region's, asked after.
    app, menus, _ = shipped
    phone = place_call(app)
    phone.start()
    for key in ("3", "3", "3", "2", "5", "#"):  # English, health care, Joensuu, back
        phone.press(key)
    reached = measure(menus, [phone.transcript]).reached
    assert reached["needs x regions"] == {"en:health x whole_country", "en:health x joensuu"}
    assert reached["services"] == {f"en:{s.id}" for s in menus.services_for("health", "joensuu")}


def events(*items):
    return Transcript([Event(kind, menu=menu, keys=keys, text=text, lang=lang)
                       for kind, menu, keys, text, lang in items])


def test_limits_count_only_failures_in_a_row_in_one_menu(shipped):
    _, menus, _ = shipped
    heard = ("heard", "main", None, MAIN_EN, "en")
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
    total = sum(len(v) for v in all_items(load_menus(ROOT / "menus.yaml")).values())
    percent = f"{100 * 2 / total:.1f}"
    assert result.output.splitlines()[0] == f"flows coverage: 2/{total} ({percent} %)"
    assert result.stderr == f"Error: coverage {percent} % is under 50 %\n"
    result = CliRunner().invoke(cli, ["flows", "coverage", str(one), "--format", "json"])
    data = json.loads(result.output)
    assert (result.exit_code, data["covered"], data["total"]) == (0, 2, total)
    assert data["kinds"]["global keys"]["missing"][:2] == ["language:repeat", "language:back"]


def test_flows_coverage_with_a_gate_fails_when_a_scenario_fails(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("name: one\nsteps: [{press: '9'}]\nends: hangup\n")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["flows", "coverage", str(one), "--fail-under", "0"])
    assert result.exit_code == 1
    assert result.stderr == "Error: 1 scenario(s) failed; run `ivr flows run`\n"
