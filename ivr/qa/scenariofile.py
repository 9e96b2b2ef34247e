"""Call-flow scenario files (flows/*.yaml beside menus.yaml) read into checked values, with
line numbers.

A file holds one scenario (a mapping) or several (a list of mappings). The shape is declared
in scenarioschema.py with the kinds menus.yaml uses, so each problem is reported at once in
the same `file:line:col: error: path: message (hint)` form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ivr.core.model import Menus
from ivr.menus.kinds import BAD
from ivr.menus.problems import Finding
from ivr.menus.problems import Problem
from ivr.menus.problems import YamlPath
from ivr.menus.problems import place
from ivr.menus.problems import sort_problems
from ivr.menus.yamlsource import Marks
from ivr.menus.yamlsource import parse_yaml
from ivr.qa.scenarioschema import ACTIONS
from ivr.qa.scenarioschema import SCENARIO
from ivr.qa.scenarioschema import check_scenario


@dataclass(frozen=True)
class Hears:
    """What the caller must (not) hear in answer to one step."""

    contains: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    lang: str | None = None
    """Every sentence heard in answer to the step is in this language."""


@dataclass(frozen=True)
class Step:
    line: int
    action: str | None  # "press" | "silence" | "say" | None (only checks)
    value: str = ""
    outcome: str | None = None
    """The outcome of the transfer this step (or a later one) starts."""
    hears: Hears | None = None
    agent_hears: Hears | None = None
    """What the info line agent hears (the whisper) when this step's transfer is answered."""
    menu: str | None = None
    """The menu the call waits in after this step."""

    def describe(self) -> str:
        if self.action == "press":
            return f'press "{self.value}"'
        if self.action == "say":
            return f'say "{self.value}"'
        return self.action or "check"


@dataclass(frozen=True)
class Ends:
    kind: str  # "transferred" | "emergency" | "hangup" | "dead_end" | "in_menu"
    value: str | None = None
    """The number for transferred (None: any number), the menu id for in_menu."""

    def describe(self) -> str:
        if self.kind == "transferred":
            return f"transferred to {self.value or 'any number'} (completed)"
        if self.kind == "in_menu":
            return f"still on the line, waiting in menu {self.value}"
        return {
            "emergency": "told to dial the emergency number, then hung up",
            "hangup": "the line hung up",
            "dead_end": "dead end",
        }[self.kind]


@dataclass(frozen=True)
class Scenario:
    name: str
    file: str
    line: int
    lang: str | None
    steps: tuple[Step, ...]
    ends: Ends
    ends_line: int


class InvalidScenarios(Exception):
    """A scenario file with problems; `problems` holds every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def parse_scenarios(text: str, filename: str, menus: Menus | None = None) -> list[Scenario]:
    """The scenarios in one file's text; InvalidScenarios with every problem otherwise."""
    data, marks, problems = parse_yaml(text, filename)
    if problems:
        raise InvalidScenarios(problems)
    items, root = (data, ()) if isinstance(data, list) else ([data], None)
    if data is None:
        items = []
    findings: list[Finding] = []
    scenarios = []
    for index, item in enumerate(items):
        path: YamlPath = (index,) if root is not None else ()
        clean, found = SCENARIO.check(item, path)
        if clean is not BAD:
            found += check_scenario(clean, path, menus)
        findings += found
        if not found:
            scenarios.append(_build(clean, path, filename, marks))
    if not items:
        findings.append(Finding((), "no scenario in this file", "write name, steps and ends"))
    if findings:
        raise InvalidScenarios(sort_problems(place(findings, marks, filename)))
    return scenarios


# -- building the values once the data is known to be right ----------------------------------


def _build(data: dict[str, Any], path: YamlPath, filename: str, marks: Marks) -> Scenario:
    steps = tuple(
        _build_step(step, marks.locate(path + ("steps", i))[0])
        for i, step in enumerate(data["steps"])
    )
    return Scenario(
        name=data["name"].strip(),
        file=filename,
        line=marks.locate(path + ("name",))[0],
        lang=data.get("lang"),
        steps=steps,
        ends=_build_ends(data["ends"]),
        ends_line=marks.locate_key(path + ("ends",))[0],
    )


def _build_step(step: dict[str, Any], line: int) -> Step:
    action = next((k for k in ACTIONS if k in step), None)
    value = {"press": step.get("press"), "say": step.get("say")}.get(action or "", None)
    return Step(
        line=line,
        action=action,
        value=value or "",
        outcome=step.get("outcome"),
        hears=_build_hears(step.get("hears")),
        agent_hears=_build_hears(step.get("agent_hears")),
        menu=step.get("menu"),
    )


def _build_hears(hears: str | dict[str, Any] | None) -> Hears | None:
    if hears is None:
        return None
    if isinstance(hears, str):
        hears = {"contains": hears}
    return Hears(
        contains=_texts(hears.get("contains", ())),
        not_contains=_texts(hears.get("not_contains", ())),
        lang=hears.get("lang"),
    )


def _texts(value: str | list[str] | tuple[()]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _build_ends(ends: str | dict[str, Any]) -> Ends:
    if isinstance(ends, str):
        return Ends(ends)
    if "in_menu" in ends:
        return Ends("in_menu", ends["in_menu"])
    return Ends("transferred", ends["transferred"])
