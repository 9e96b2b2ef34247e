"""Scenario files: line-numbered problems, the runner's verdicts, and `flows run`."""

import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.qa.scenariofile import InvalidScenarios
from ivr.qa.scenariofile import parse_scenarios
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import load_scenarios
from ivr.qa.scenarios import render_failure
from ivr.qa.scenarios import run_scenario
from tests.conftest import ROOT

BROKEN = """\
- name: broken
  lang: xx
  steps:
    - press: x
    - silnce: true
    - {press: "1", silence: true}
    - outcome: bussy
    - hears: {contain: Hei}
  ends: emergncy
- name: ""
  steps: {press: "1"}
  ends: {in_menu: mian, transferred: "+358"}
- just text
"""


def problems(text, menus, name="s.yaml"):
    with pytest.raises(InvalidScenarios) as error:
        parse_scenarios(text, name, menus)
    return [p.format() for p in error.value.problems]


@pytest.fixture
def menus(app):
    return app_menus(app)


def test_a_broken_scenario_file_gets_every_problem_with_line_and_column(menus):
    assert problems(BROKEN, menus, "bad.yaml") == [
        "bad.yaml:2:9: error: [0].lang: unknown language 'xx' (one of: "
        + ", ".join(language.code for language in menus.offered()) + ")",
        "bad.yaml:4:14: error: [0].steps[0].press: expected one phone key: 0-9, * or #,"
        " got the text 'x' (in quotes, for example press: \"#\")",
        "bad.yaml:5:7: error: [0].steps[1].silnce: unknown key 'silnce' (did you mean 'silence'?)",
        "bad.yaml:6:7: error: [0].steps[2]: one action per step, not press and silence"
        " (split the step)",
        "bad.yaml:7:16: error: [0].steps[3].outcome: expected one of: completed, busy,"
        " no-answer, failed, got the text 'bussy' (did you mean 'busy'?)",
        "bad.yaml:8:15: error: [0].steps[4].hears.contain: unknown key 'contain'"
        " (did you mean 'contains'?)",
        "bad.yaml:9:9: error: [0].ends: expected one of: emergency, hangup, dead_end,"
        " transferred, got the text 'emergncy' (did you mean 'emergency'?)",
        "bad.yaml:10:9: error: [1].name: empty text (write the text, or remove the key)",
        "bad.yaml:11:3: error: [1].steps: expected a list of steps, got a mapping"
        " (write it as [a, b] or one '- item' per line)",
        "bad.yaml:12:3: error: [1].ends: say either transferred: <number> or in_menu: <menu id>",
        "bad.yaml:12:19: error: [1].ends.in_menu: unknown menu 'mian' (did you mean 'main'?)",
        "bad.yaml:13:3: error: [2]: expected a scenario: a mapping with name, steps and ends,"
        " got the text 'just text'",
    ]


def test_yaml_syntax_errors_and_empty_files_are_problems_too(menus):
    assert problems("name: x\nsteps: [\n", menus) == [
        "s.yaml:3:1: error: did not find expected node content"
        " (while parsing a flow node on line 3)"
    ]
    assert problems("", menus) == [
        "s.yaml:1:1: error: no scenario in this file (write name, steps and ends)"
    ]
    assert problems("name: x\nsteps: []\nends: hangup\nname: y\n", menus) == [
        "s.yaml:4:1: error: name: duplicate key 'name' (first on line 1)"
        " (YAML would keep only the last one)"
    ]


def test_a_single_scenario_file_reads_into_steps(menus):
    [scenario] = parse_scenarios(textwrap.dedent("""\
        name: one
        lang: sv
        steps:
          - press: 1
            outcome: busy
          - silence: true
            hears: {contains: [a, b], not_contains: c, lang: sv}
            menu: main
          - hears: just this
        ends: {transferred: "+358295463177"}
        """), "one.yaml", menus)
    assert (scenario.name, scenario.lang, scenario.line, scenario.ends_line) == ("one", "sv", 1, 10)
    first, second, third = scenario.steps
    assert (first.action, first.value, first.outcome, first.line) == ("press", "1", "busy", 4)
    assert (second.action, second.hears.contains, second.hears.not_contains, second.menu) == (
        "silence", ("a", "b"), ("c",), "main")
    assert (third.action, third.hears.contains) == (None, ("just this",))
    assert scenario.ends.describe() == "transferred to +358295463177 (completed)"


def run(app, text):
    [scenario] = parse_scenarios(textwrap.dedent(text), "t.yaml", app_menus(app))
    return run_scenario(app, app_menus(app), scenario)


def test_a_scenario_through_the_real_webhook_passes(app):
    result = run(app, """\
        name: info line busy, then emergency
        lang: en
        steps:
          - press: "0"
            outcome: busy
            hears: {contains: The info line is busy right now., lang: en}
            menu: main
          - press: "9"
        ends: emergency
        """)
    assert result.passed, render_failure(result)


def test_a_failing_step_says_which_step_what_was_expected_and_what_was_heard(app):
    result = run(app, """\
        name: wrong expectation
        lang: en
        steps:
          - press: "1"
            hears: {contains: Choose your region.}
        ends: {in_menu: region}
        """)
    assert render_failure(result) == (
        "FAIL t.yaml:1: wrong expectation\n"
        "  step 1 (line 4): press \"1\"\n"
        "    expected: to hear \"Choose your region.\"\n"
        "    got: it was not heard\n"
        "    heard:\n"
        "      [needs_safety] (en) For safe housing, press 1."
        " For crisis and psychological support, press 2. For women and children,"
        " press 3."
    )


def test_a_wrong_ending_and_a_wrong_language_are_reported(app):
    result = run(app, """\
        name: ends elsewhere
        lang: fi
        steps:
          - press: "2"
        ends: {transferred: "+358295463177"}
        """)
    assert render_failure(result).splitlines()[:4] == [
        "FAIL t.yaml:1: ends elsewhere",
        "  step 2 (line 5): ends",
        "    expected: transferred to +358295463177 (completed)",
        "    got: still on the line, waiting in menu needs_legal",
    ]
    result = run(app, """\
        name: language
        lang: fi
        steps:
          - press: "3"
            hears: {lang: sv}
        ends: {in_menu: needs_exploitation}
        """)
    assert render_failure(result).splitlines()[2:4] == [
        "    expected: every sentence in sv", "    got: a sentence in fi"]


def test_keys_after_the_call_ended_and_speech_fail_clearly(app):
    result = run(app, """\
        name: after the end
        steps:
          - press: "9"
          - press: "1"
        ends: emergency
        """)
    assert render_failure(result).splitlines()[1:4] == [
        '  step 2 (line 4): press "1"',
        "    expected: the call waiting for a key",
        "    got: the call had ended: told to dial the emergency number, then hung up"
        " (in language)",
    ]
    # The language menu listens for keys only: Twilio takes words there for a silence, and
    # a silence there puts the caller through (the menu said "stay on the line").
    result = run(app, """\
        name: speech
        steps:
          - say: suomi
            hears: Yhdistän sinut auttamisjärjestelmän ympärivuorokautiseen infopuhelimeen.
        ends: transferred
        """)
    assert result.passed, render_failure(result)
    notes = [e.text for e in result.transcript.events if e.kind == "note"]
    assert notes == ["this menu listens for keys only, so the words were not heard"]


def test_load_scenarios_reports_problems_of_every_file(tmp_path, menus):
    tmp_path = tmp_path / "flows"
    tmp_path.mkdir()
    (tmp_path / "a.yaml").write_text("name: a\nsteps: []\nends: hangup\n")
    (tmp_path / "b.yaml").write_text("name: b\nsteps: []\nends: nope\n")
    (tmp_path / "c.yaml").write_text("name: c\nstep: []\nends: hangup\n")
    with pytest.raises(InvalidScenarios) as error:
        load_scenarios([tmp_path], menus)
    assert [p.format() for p in error.value.problems] == [
        f"{tmp_path}/b.yaml:3:7: error: ends: unknown ending 'nope'"
        " (one of: emergency, hangup, dead_end, transferred, or in_menu: <menu id>)",
        f"{tmp_path}/c.yaml:2:1: error: step: unknown key 'step' (did you mean 'steps'?)",
    ]


def test_flows_run_reports_and_exits_1_on_a_failure(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: good\nsteps: [{press: '9'}]\nends: emergency\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps: [{press: '9'}]\nends: hangup\n")
    result = CliRunner().invoke(cli, ["flows", "run", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"ok   {good}:1: good"
    assert lines[1:5] == [
        f"FAIL {bad}:1: bad",
        "  step 2 (line 3): ends",
        "    expected: the line hung up",
        "    got: told to dial the emergency number, then hung up (in language)",
    ]
    assert lines[-1].startswith("1 passed, 1 failed in ")
    result = CliRunner().invoke(cli, ["flows", "run", str(good), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == [
        {"file": str(good), "line": 1, "name": "good", "passed": True, "failure": None}]


def test_flows_run_on_a_broken_file_prints_the_problems_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps: [{pres: '9'}]\nends: hangup\n")
    result = CliRunner(mix_stderr=False).invoke(cli, ["flows", "run", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bad}:2:10: error: steps[0].pres: unknown key 'pres' (did you mean 'press'?)\n"
        "Error: 1 problem(s) in the scenario files\n"
    )


def test_pytest_collects_one_test_per_shipped_scenario():
    flows = ROOT / "flows"
    expected = len(load_scenarios([flows]))
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", str(flows)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout
    items = [line for line in out.splitlines() if "::" in line]
    assert len(items) == expected > 60
    assert "flows/emergency.yaml::emergency from the main menu (fi)" in items


def test_the_example_in_the_docs_is_a_valid_scenario_file(menus):
    text = (ROOT / "docs" / "qa.md").read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    [scenario] = parse_scenarios(example, "docs/qa.md", menus)
    assert [step.describe() for step in scenario.steps] == [
        "check", 'press "0"', "silence", 'say "turvakoti"']


def test_agent_hears_checks_the_whisper_of_an_answered_transfer(app):
    result = run(app, """\
        name: whisper
        lang: en
        steps:
          - press: "0"
            agent_hears: {contains: "Caller's language: English."}
        ends: transferred
        """)
    assert render_failure(result).splitlines()[1:] == [
        '  step 1 (line 4): press "0"',
        "    expected: the agent to hear \"Caller's language: English.\"",
        "    got: it was not heard",
        "    heard:",
        "      [main] (en) Putting you through to the assistance system's 24-hour info line."
        " You can call anonymously, and all calls are treated confidentially.",
        "      == transfer to +358295463177: completed",
        "         agent hears (fi) Puhelu ihmiskaupan uhrien puhelinvalikosta."
        " Soittajan kieli: englanti.",
    ]


def test_scenarios_pass_the_same_when_the_prompts_are_recordings(tmp_path):
    from ivr.qa.scenarios import simulation_app
    from tests.test_playground import recorded_language_menu

    recorded_language_menu(tmp_path / "prompts", ROOT / "menus.yaml")
    app = simulation_app(prompts_dir=tmp_path / "prompts")
    menus = app_menus(app)
    flows = ROOT / "flows"
    scenarios = load_scenarios([flows / "languages.yaml", flows / "limits.yaml"], menus)
    results = [run_scenario(app, menus, s) for s in scenarios]
    assert [render_failure(r) for r in results if not r.passed] == []
    first = results[0].transcript.events[0]
    assert (first.text, first.lang) == ("Hätätilanteessa soita 1 1 2.", "fi")
    assert first.audio.startswith("https://ivr.example.org/audio/fi-human-")


def test_a_press_of_two_keys_is_refused_and_an_empty_press_says_nothing_was_given(menus):
    text = 'name: x\nsteps:\n  - press: "12"\n  - press:\nends: hangup\n'
    assert problems(text, menus, "two.yaml") == [
        "two.yaml:3:12: error: steps[0].press: one key per step, not '12'"
        ' (one step per key: press: "1", then press: "2")',
        "two.yaml:4:11: error: steps[1].press: expected one phone key: 0-9, * or #, got nothing"
        ' (write it in quotes: "*" or "#")',
    ]


def test_every_unmet_expectation_of_the_failing_step_is_reported_at_once(app):
    result = run(app, """\
        name: three wrong expectations
        lang: en
        steps:
          - press: "1"
            hears: {contains: [Choose your region., "For safe housing, press 1.", Nowhere.],
                    lang: en}
            menu: region
        ends: {in_menu: region}
        """)
    assert render_failure(result).splitlines()[1:4] == [
        '  step 1 (line 4): press "1"',
        '    expected: to hear "Choose your region."; to hear "Nowhere."; '
        "waiting for a key in menu region",
        "    got: it was not heard; it was not heard; waiting for a key in menu needs_safety",
    ]
