"""Run call-flow scenarios through the real webhook with the simulator, and say what failed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from flask import Flask

from ivr.core.model import Menus
from ivr.qa.scenariofile import Hears
from ivr.qa.scenariofile import InvalidScenarios
from ivr.qa.scenariofile import Scenario
from ivr.qa.scenariofile import Step
from ivr.qa.scenariofile import parse_scenarios
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.qa.transcript import Transcript
from ivr.settings import Settings
from ivr.web.factory import create_webhook_app
from ivr.web.sms import TextSender
from ivr.web.webhook import DrySender

SIMULATION_TOKEN = "simulated-auth-token"
SIMULATION_URL = "https://ivr.example.org"
"""Simulated calls are signed like Twilio's, so the signature check runs on every step."""


@dataclass
class Failure:
    """Where a scenario went wrong: the step, what was expected, what was heard."""

    step: int  # 1-based; 0 is the language choice, len(steps) + 1 the ending
    line: int
    what: str
    expected: str
    got: str = ""
    heard: list[Event] = field(default_factory=list)


@dataclass
class Result:
    scenario: Scenario
    transcript: Transcript
    failure: Failure | None = None

    @property
    def passed(self) -> bool:
        return self.failure is None


def simulation_app(menus_path: Path | None = None, prompts_dir: Path | None = None) -> Flask:
    """The real webhook app on these menus, with signatures on; no network, no account.

    Nothing is counted and no text message is sent: the sms option is offered where the
    environment would let the server send one, and its sending is only pretended.
    """
    base = Settings.from_env()
    settings = Settings(
        menus_path=menus_path or base.menus_path,
        prompts_dir=prompts_dir or base.prompts_dir,
        auth_token=SIMULATION_TOKEN,
        public_base_url=SIMULATION_URL,
        allow_offline_prompts=True,
        reload_interval=3600.0,
        keep_history=False,
    )
    return create_webhook_app(settings, DrySender() if TextSender.from_env() else None)


def app_menus(app: Flask) -> Menus:
    """The menus the app is answering with."""
    menus: Menus = app.extensions["ivr"].store.current()
    return menus


def load_scenarios(paths: Iterable[Path], menus: Menus | None = None) -> list[Scenario]:
    """Every scenario in these files and folders (*.yaml); InvalidScenarios lists all problems."""
    scenarios: list[Scenario] = []
    problems = []
    for path in scenario_files(paths):
        try:
            scenarios += parse_scenarios(path.read_text(encoding="utf-8"), str(path), menus)
        except InvalidScenarios as error:
            problems += error.problems
    if problems:
        raise InvalidScenarios(problems)
    return scenarios


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return files


def run_scenario(app: Flask, menus: Menus, scenario: Scenario) -> Result:
    """Place one call and follow the scenario; stops at the first step that fails."""
    call = place_call(app)
    events = call.start()
    result = Result(scenario, call.transcript)
    if scenario.lang is not None:
        for key in menus.languages[scenario.lang].keys:  # a key path: "4", or "8 1"
            if not call.waiting:
                result.failure = _ended_early(call, 0, scenario.line, f"choose {scenario.lang}")
                return result
            events = call.press(key)
    for number, step in enumerate(scenario.steps, start=1):
        events, failure = _run_step(call, step, number, events)
        if failure is not None:
            result.failure = failure
            return result
    result.failure = _check_ending(call, scenario)
    return result


def _run_step(
    call: Call, step: Step, number: int, last: list[Event]
) -> tuple[list[Event], Failure | None]:
    if step.outcome is not None:
        call.outcomes.append(step.outcome)
    events = last
    if step.action is not None:
        if not call.waiting:
            return events, _ended_early(call, number, step.line, step.describe())
        events = _act(call, step)
    # Every unmet expectation of the step at once, so QA fixes them in one go.
    unmet = _check_hears(step.hears, _heard(events)) if step.hears else []
    if step.agent_hears is not None:
        agent = _check_hears(step.agent_hears, _agent_heard(events))
        unmet += [("the agent " + expected, got) for expected, got in agent]
    if step.menu is not None and not (call.waiting and call.where == step.menu):
        unmet.append((f"waiting for a key in menu {step.menu}", _now(call)))
    if unmet:
        expected = "; ".join(expected for expected, _ in unmet)
        got = "; ".join(got for _, got in unmet)
        return events, Failure(number, step.line, step.describe(), expected, got, events)
    return events, None


def _act(call: Call, step: Step) -> list[Event]:
    if step.action == "press":
        return call.press(step.value)
    if step.action == "say":
        return call.say(step.value)
    return call.silence()


def _now(call: Call) -> str:
    ending = call.transcript.ending
    if ending is not None:
        return "the call had ended: " + ending.describe()
    return f"waiting for a key in menu {call.where}"


def _heard(events: list[Event]) -> list[tuple[str, str | None]]:
    return [(e.text or "", e.lang) for e in events if e.kind == "heard"]


def _agent_heard(events: list[Event]) -> list[tuple[str, str | None]]:
    return [
        (line["text"] or "", line["lang"])
        for e in events
        if e.kind == "transfer"
        for line in e.agent_heard or []
    ]


def _check_hears(hears: Hears, lines: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Every (expected, got) the heard lines do not meet."""
    text = " ".join(line for line, _ in lines)
    unmet = [(f'to hear "{w}"', "it was not heard") for w in hears.contains if w not in text]
    unmet += [(f'not to hear "{u}"', "it was heard") for u in hears.not_contains if u in text]
    other = [lang for _, lang in lines if hears.lang is not None and lang != hears.lang]
    if other:
        unmet.append((f"every sentence in {hears.lang}", f"a sentence in {other[0]}"))
    return unmet


def _ended_early(call: Call, number: int, line: int, what: str) -> Failure:
    expected = "the call waiting for a key"
    return Failure(number, line, what, expected, _now(call), call.transcript.events[-3:])


def _check_ending(call: Call, scenario: Scenario) -> Failure | None:
    ends = scenario.ends
    ending = call.transcript.ending
    if ends.kind == "in_menu":
        ok = ending is None and call.where == ends.value
    elif ending is None:
        ok = False
    elif ends.kind == "transferred":
        ok = ending.kind == "transferred" and ends.value in (None, ending.number)
    else:
        ok = ending.kind == ends.kind
    if ok:
        return None
    got = ending.describe() if ending else f"still on the line, waiting in menu {call.where}"
    number = len(scenario.steps) + 1
    return Failure(number, scenario.ends_line, "ends", ends.describe(), got,
                   call.transcript.events[-3:])


def render_failure(result: Result) -> str:
    """The failed step, what was expected and what the caller heard, for a terminal."""
    failure = result.failure
    assert failure is not None
    scenario = result.scenario
    lines = [
        f"FAIL {scenario.file}:{scenario.line}: {scenario.name}",
        f"  step {failure.step} (line {failure.line}): {failure.what}",
        f"    expected: {failure.expected}",
        f"    got: {failure.got}",
    ]
    heard = [e for e in failure.heard if e.kind in ("heard", "transfer")]
    if heard:
        lines.append("    heard:")
        for e in heard:
            if e.kind == "heard":
                lines.append(f"      [{e.menu}] ({e.lang or '?'}) {e.text}")
                continue
            lines.append(f"      == transfer to {e.number}: {e.outcome}")
            agent = e.agent_heard or []
            lines += [f"         agent hears ({a['lang']}) {a['text']}" for a in agent]
    elif failure.step <= len(scenario.steps):
        lines.append("    heard: nothing")
    return "\n".join(lines)
