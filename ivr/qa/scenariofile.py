"""Call-flow scenario files (tests/flows/*.yaml) read into checked values, with line numbers.

A file holds one scenario (a mapping) or several (a list of mappings). Each problem is
reported at once, in the same `file:line:col: error: path: message (hint)` form as menus.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import LANGUAGE_PAGE
from ivr.core.model import Menus
from ivr.core.script import language_pages
from ivr.menus.problems import Finding
from ivr.menus.problems import Path
from ivr.menus.problems import Problem
from ivr.menus.problems import place
from ivr.menus.problems import sort_problems
from ivr.menus.problems import suggest
from ivr.menus.yamlsource import Marks
from ivr.menus.yamlsource import parse_yaml

OUTCOMES = ("completed", "busy", "no-answer", "failed")
SCENARIO_KEYS = ("name", "lang", "steps", "ends")
STEP_KEYS = ("press", "silence", "say", "outcome", "hears", "agent_hears", "menu")
HEARS_KEYS = ("contains", "not_contains", "lang")
END_WORDS = ("emergency", "hangup", "dead_end", "transferred")
END_KEYS = ("transferred", "in_menu")
"""A transfer ends a call only when answered, so `transferred` means completed."""
KEYPAD = set("0123456789*#")


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
        path: Path = (index,) if root is not None else ()
        found = list(_check_scenario(item, path, menus))
        findings += found
        if not found:
            scenarios.append(_build(item, path, filename, marks))
    if not items:
        findings.append(Finding((), "no scenario in this file", "write name, steps and ends"))
    if findings:
        raise InvalidScenarios(sort_problems(place(findings, marks, filename)))
    return scenarios


# -- checks: every problem at once -----------------------------------------------------------


def _unknown_keys(data: dict[str, Any], path: Path, known: tuple[str, ...]) -> Iterator[Finding]:
    for key in data:
        if key not in known:
            hint = suggest(key, known) or f"one of: {', '.join(known)}"
            yield Finding(path + (key,), f"unknown key '{key}'", hint, at_key=True)


def _check_scenario(data: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    if not isinstance(data, dict):
        yield Finding(path, "a scenario is a mapping", "with name, steps and ends")
        return
    yield from _unknown_keys(data, path, SCENARIO_KEYS)
    for key in ("name", "steps", "ends"):
        if key not in data:
            yield Finding(path, f"missing '{key}'", None)
    if "name" in data and not (isinstance(data["name"], str) and data["name"].strip()):
        yield Finding(path + ("name",), "the name must be text, not empty", None)
    if "lang" in data:
        yield from _check_lang(data["lang"], path + ("lang",), menus)
    steps = data.get("steps", [])
    if not isinstance(steps, list):
        yield Finding(path + ("steps",), "steps must be a list", "one '- press: \"1\"' per line")
    else:
        for index, step in enumerate(steps):
            yield from _check_step(step, path + ("steps", index), menus)
    if "ends" in data:
        yield from _check_ends(data["ends"], path + ("ends",), menus)


def _check_lang(value: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield Finding(path, "a language code is text", "for example fi")
    elif menus is not None and value not in [lang.code for lang in menus.offered()]:
        offered = [lang.code for lang in menus.offered()]  # a caller can choose only these
        hint = suggest(value, offered) or f"one of: {', '.join(offered)}"
        yield Finding(path, f"unknown language '{value}'", hint)


def _check_menu(value: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    known = None
    if menus is not None:
        pages = [LANGUAGE_PAGE + key for key in language_pages(menus)]
        known = [LANGUAGE_MENU, *pages, *menus.menus]
    if not isinstance(value, str):
        yield Finding(path, "a menu id is text", None)
    elif known is not None and value not in known:
        yield Finding(path, f"unknown menu '{value}'", suggest(value, known))


def _check_step(step: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    if not isinstance(step, dict) or not step:
        yield Finding(path, "a step is a mapping", 'for example {press: "1"} or {silence: true}')
        return
    yield from _unknown_keys(step, path, STEP_KEYS)
    actions = [key for key in ("press", "silence", "say") if key in step]
    if len(actions) > 1:
        yield Finding(path, f"one action per step, not {' and '.join(actions)}", "split the step")
    if "press" in step:
        keys = _keys(step["press"])
        if keys is None or not keys or not set(keys) <= KEYPAD:
            hint = 'keys 0-9, * and #, in quotes: press: "#"'
            got = "nothing" if step["press"] is None else repr(step["press"])
            yield Finding(path + ("press",), f"not phone keys: {got}", hint)
        elif len(keys) > 1:
            # Every menu listens for one key (numDigits=1): the rest would be lost unheard.
            hint = f'one step per key: press: "{keys[0]}", then press: "{keys[1]}"'
            yield Finding(path + ("press",), f"one key per step, not {keys!r}", hint)
    if "silence" in step and step["silence"] is not True:
        yield Finding(path + ("silence",), "silence takes true", "silence: true")
    if "say" in step and not isinstance(step["say"], str):
        yield Finding(path + ("say",), "say takes the words spoken, as text", None)
    if "outcome" in step and step["outcome"] not in OUTCOMES:
        hint = suggest(str(step["outcome"]), OUTCOMES) or f"one of: {', '.join(OUTCOMES)}"
        yield Finding(path + ("outcome",), f"unknown outcome {step['outcome']!r}", hint)
    for key in ("hears", "agent_hears"):
        if key in step:
            yield from _check_hears(step[key], path + (key,), menus)
    if "menu" in step:
        yield from _check_menu(step["menu"], path + ("menu",), menus)


def _check_hears(hears: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    if isinstance(hears, str):
        return
    if not isinstance(hears, dict):
        yield Finding(path, "hears is text or a mapping", "contains, not_contains, lang")
        return
    yield from _unknown_keys(hears, path, HEARS_KEYS)
    for key in ("contains", "not_contains"):
        if key in hears and _texts(hears[key]) is None:
            yield Finding(path + (key,), f"{key} takes text or a list of texts", None)
    if "lang" in hears:
        yield from _check_lang(hears["lang"], path + ("lang",), menus)


def _check_ends(ends: Any, path: Path, menus: Menus | None) -> Iterator[Finding]:
    if isinstance(ends, str):
        if ends not in END_WORDS:
            hint = suggest(ends, END_WORDS) or f"one of: {', '.join(END_WORDS)}, or in_menu: <id>"
            yield Finding(path, f"unknown ending '{ends}'", hint)
        return
    if not isinstance(ends, dict):
        yield Finding(path, "ends is a word or a mapping", "emergency, or transferred: <number>")
        return
    yield from _unknown_keys(ends, path, END_KEYS)
    kinds = [k for k in ("transferred", "in_menu") if k in ends]
    if len(kinds) != 1:
        yield Finding(path, "say either transferred: <number> or in_menu: <menu id>", None)
    if "in_menu" in ends:
        yield from _check_menu(ends["in_menu"], path + ("in_menu",), menus)
    if "transferred" in ends and not isinstance(ends["transferred"], str):
        yield Finding(path + ("transferred",), "the number is text", 'in quotes: "+358295463177"')


def _keys(value: Any) -> str | None:
    # YAML reads press: 2 as a number; digits are what the author meant.
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return str(value)
    return value if isinstance(value, str) else None


def _texts(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


# -- building the values once the data is known to be right ----------------------------------


def _build(data: dict[str, Any], path: Path, filename: str, marks: Marks) -> Scenario:
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
    action = next((k for k in ("press", "silence", "say") if k in step), None)
    value = {"press": _keys(step.get("press")), "say": step.get("say")}.get(action or "", None)
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
        contains=_texts(hears.get("contains", [])) or (),
        not_contains=_texts(hears.get("not_contains", [])) or (),
        lang=hears.get("lang"),
    )


def _build_ends(ends: str | dict[str, Any]) -> Ends:
    if isinstance(ends, str):
        return Ends(ends)
    if "in_menu" in ends:
        return Ends("in_menu", ends["in_menu"])
    return Ends("transferred", ends["transferred"])
