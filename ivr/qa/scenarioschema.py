"""The shape of a call-flow scenario file, in the kinds menus.yaml is checked with, and the
checks that need the menus (language and menu ids) or span keys (one action per step).

So a slip in a scenario reads exactly like one in menus.yaml: file:line:col, the key path,
what was expected, and the closest valid key or word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import LANGUAGE_PAGE
from ivr.core.model import Menus
from ivr.core.phone import KEYPAD
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.core.script import language_pages
from ivr.menus.kinds import BAD
from ivr.menus.kinds import Choice
from ivr.menus.kinds import Exactly
from ivr.menus.kinds import Fields
from ivr.menus.kinds import Items
from ivr.menus.kinds import Key
from ivr.menus.kinds import OneOf
from ivr.menus.kinds import Phone
from ivr.menus.kinds import PhoneKey
from ivr.menus.kinds import Text
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import suggest

ACTIONS = ("press", "silence", "say")
END_WORDS = ("emergency", "hangup", "dead_end", "transferred")


@dataclass(frozen=True)
class OneKey(PhoneKey):
    """One key per step: every menu listens for one key (numDigits=1), the rest is lost."""

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool) and value > 9:
            value = str(value)  # press: 12 unquoted is the number twelve: meant as keys
        if isinstance(value, str) and len(value) > 1 and set(value) <= set(KEYPAD):
            hint = f'one step per key: press: "{value[0]}", then press: "{value[1]}"'
            return BAD, [Finding(path, f"one key per step, not '{value}'", hint)]
        clean, findings = super().check(value, path)
        if findings and isinstance(value, str):
            findings = [self.wrong(value, path, 'in quotes, for example press: "#"')]
        return clean, findings


@dataclass(frozen=True)
class Ending(Choice):
    """The word a scenario ends with; the mapping form is the other way to say it."""

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        clean, findings = super().check(value, path)
        if findings and findings[0].hint is None:
            hint = f"one of: {', '.join(self.values)}, or in_menu: <menu id>"
            findings = [Finding(path, f"unknown ending {value!r}", hint)]
        return clean, findings


TEXTS = OneOf(kinds=(Text(), Items(item=Text(), what="texts")))
HEARS = OneOf(kinds=(Text(), Fields(keys=(
    Key("contains", TEXTS, "text (or texts) the caller must hear", required=False),
    Key("not_contains", TEXTS, "text (or texts) the caller must not hear", required=False),
    Key("lang", Text(), "every sentence heard is in this language", required=False),
))))
STEP = Fields(keys=(
    Key("press", OneKey(), "the key the caller presses", required=False),
    Key("silence", Exactly(value=True), "the caller says nothing: silence: true", required=False),
    Key("say", Text(), "the words the caller says", required=False),
    Key("outcome", Choice(values=TRANSFER_OUTCOMES), "how the transfer it starts ends",
        required=False),
    Key("hears", HEARS, "what the caller hears in answer", required=False),
    Key("agent_hears", HEARS, "what the info line agent hears", required=False),
    Key("menu", Text(), "the menu the call waits in afterwards", required=False),
), name='a step: a mapping such as press: "1"')
ENDS = OneOf(kinds=(Ending(values=END_WORDS), Fields(keys=(
    Key("transferred", Phone(), "the number the call is put through to", required=False),
    Key("in_menu", Text(), "the menu the call still waits in", required=False),
))))
SCENARIO = Fields(keys=(
    Key("name", Text(), "what the scenario shows"),
    Key("lang", Text(), "the language chosen first", required=False),
    Key("steps", Items(item=STEP, what="steps"), "one '- press: \"1\"' per line"),
    Key("ends", ENDS, "emergency, hangup, dead_end, transferred, or in_menu: <menu id>"),
), name="a scenario: a mapping with name, steps and ends")


def check_scenario(clean: dict[str, Any], path: YamlPath, menus: Menus | None) -> Iterator[Finding]:
    """What the shape cannot say: one action per step, one ending, ids the menus have."""
    if clean.get("lang") is not None:
        yield from _known_language(clean["lang"], path + ("lang",), menus)
    for index, step in enumerate(clean.get("steps") or ()):
        if step is not None:
            yield from _check_step(step, path + ("steps", index), menus)
    ends = clean.get("ends")
    if isinstance(ends, dict):
        if len(ends) != 1:
            yield Finding(path + ("ends",),
                          "say either transferred: <number> or in_menu: <menu id>", None)
        if ends.get("in_menu") is not None:
            yield from _known_menu(ends["in_menu"], path + ("ends", "in_menu"), menus)


def _check_step(step: dict[str, Any], path: YamlPath, menus: Menus | None) -> Iterator[Finding]:
    actions = [key for key in ACTIONS if key in step or key in getattr(step, "bad", ())]
    if len(actions) > 1:
        yield Finding(path, f"one action per step, not {' and '.join(actions)}", "split the step")
    for key in ("hears", "agent_hears"):
        if isinstance(step.get(key), dict) and step[key].get("lang") is not None:
            yield from _known_language(step[key]["lang"], path + (key, "lang"), menus)
    if step.get("menu") is not None:
        yield from _known_menu(step["menu"], path + ("menu",), menus)


def _known_language(code: str, path: YamlPath, menus: Menus | None) -> Iterator[Finding]:
    offered = [lang.code for lang in menus.offered()] if menus is not None else None
    if offered is not None and code not in offered:  # a caller can choose only these
        hint = suggest(code, offered) or f"one of: {', '.join(offered)}"
        yield Finding(path, f"unknown language '{code}'", hint)


def _known_menu(menu: str, path: YamlPath, menus: Menus | None) -> Iterator[Finding]:
    if menus is None:
        return
    pages = [LANGUAGE_PAGE + key for key in language_pages(menus)]
    known = [LANGUAGE_MENU, *pages, *menus.menus]
    if menu not in known:
        yield Finding(path, f"unknown menu '{menu}'", suggest(menu, known))
