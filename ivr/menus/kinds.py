"""Kinds of values a YAML file can hold, each checking itself and saying what is wrong.

`Kind.check(value, path)` returns the clean value (or BAD) and every Finding at once. The
scalar kinds (Text, Phone, Number, Flag, Day, PhoneKey, Choice, Texts) and the containers
(Fields with a closed key set, Table of ids, Items) are generic; ivr/schema.py puts them
together into the shape of menus.yaml. Written as plain data rather than
voluptuous/jsonschema (STYLE.md b.4): no new dependency, and every message is ours.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ivr.core.phone import KEYPAD
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import suggest

BAD = object()  # a value that failed its check; left out of the clean data


def describe(value: Any) -> str:
    """A value as an operator would name it: 'the number 42', 'a list', 'nothing'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) <= 40 else f"the text '{value[:37]}...'"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return "a list" if isinstance(value, list) else "a mapping"


def _quote_hint(value: Any) -> str | None:
    if value is None:
        return "fill in a value, or remove the key"
    if isinstance(value, bool):
        return "write the text in quotes: unquoted, yes, no, on and off mean true or false"
    if isinstance(value, int | float | datetime.date):
        raw = describe(value).removeprefix("the number ").removeprefix("the date ")
        return f'write it in quotes: "{raw}"'
    return None


@dataclass(frozen=True)
class Kind:
    """A kind of value; `check` returns the clean value (or BAD) and what is wrong."""

    name: str

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if self.accepts(value):
            return value, []
        return BAD, [self.wrong(value, path)]

    def accepts(self, value: Any) -> bool:
        return False

    def wrong(self, value: Any, path: YamlPath, hint: str | None = None) -> Finding:
        return Finding(path, f"expected {self.name}, got {describe(value)}", hint)


@dataclass(frozen=True)
class Text(Kind):
    name: str = "text"

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, str) and value.strip():
            return value, []
        if isinstance(value, str):
            return BAD, [Finding(path, "empty text", "write the text, or remove the key")]
        return BAD, [self.wrong(value, path, _quote_hint(value))]


@dataclass(frozen=True)
class Phone(Text):
    name: str = "a phone number in quotes"

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool):
            # Unquoted, YAML reads +358... as a number and drops the plus.
            return BAD, [self.wrong(value, path, 'write it in quotes, with its +: "+358..."')]
        return super().check(value, path)


@dataclass(frozen=True)
class Number(Kind):
    low: int = 0
    high: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"a whole number from {self.low} to {self.high}")

    def accepts(self, value: Any) -> bool:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return ok and self.low <= value <= self.high

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, str) and value.isdigit():  # 010: see yamlsource, leading zero
            return BAD, [self.wrong(value, path, f"write it without the leading 0: "
                                    f"{value.lstrip('0') or '0'}")]
        return super().check(value, path)


@dataclass(frozen=True)
class Flag(Kind):
    name: str = "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Day(Kind):
    name: str = "a date (YYYY-MM-DD)"

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, datetime.date):
            return value, []
        try:
            return datetime.date.fromisoformat(str(value)), []
        except ValueError:
            return BAD, [self.wrong(value, path, "for example 2026-11-25")]


@dataclass(frozen=True)
class PhoneKey(Kind):
    name: str = "one phone key: 0-9, * or #"

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
            return str(value), []  # `key: 1` unquoted means the key "1"
        if isinstance(value, str) and len(value) == 1 and value in KEYPAD:
            return value, []
        # Unquoted, '#' starts a comment and '*' an alias: the value is lost or an error.
        hint = 'write it in quotes: "*" or "#"' if value is None else None
        return BAD, [self.wrong(value, path, hint)]


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", "one of: " + ", ".join(self.values))

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if value in self.values:
            return value, []
        hint = suggest(value, self.values) if isinstance(value, str) else None
        return BAD, [self.wrong(value, path, hint)]


@dataclass(frozen=True)
class Texts(Kind):
    """One text per language code; the codes are checked against `languages` later."""

    name: str = "a text in each language (fi: ..., en: ...)"

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return BAD, [self.wrong(value, path)]
        clean, findings = {}, []
        for code, text in value.items():
            if text is None and not code.isalpha():
                # {fi: Hello, world} splits at the comma: 'world' becomes a key with no text.
                hint = "a text with a comma inside {...} must be in quotes"
                findings.append(Finding(path + (code,), f"'{code}' is not a language code", hint))
                continue
            text, wrong = Text().check(text, path + (code,))
            findings += wrong
            if text is not BAD:
                clean[code] = text
        return clean, findings


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its name, kind, what it means, and whether it must be there."""

    name: str
    kind: Kind
    doc: str
    required: bool = True


class Clean(dict[str, Any]):
    """A checked mapping; `bad` names the keys that were there but had a bad value."""

    bad: frozenset[str] = frozenset()


def present(mapping: dict[str, Any], name: str) -> bool:
    """Whether the file had `name` in this mapping, even with a bad value."""
    return name in mapping or name in getattr(mapping, "bad", ())


@dataclass(frozen=True)
class Fields(Kind):
    """A mapping with a closed set of keys."""

    keys: tuple[Key, ...] = ()
    name: str = "a mapping of keys"
    by_name: dict[str, Key] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({key.name: key for key in self.keys})

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return BAD, [self.wrong(value, path)]
        clean, findings, bad, meant = Clean(), [], set(), set()
        for name, item in value.items():
            key = self.by_name.get(name)
            if key is None:
                finding, close = self.unknown(name, path)
                findings.append(finding)
                meant.add(close)
                continue
            item, wrong = key.kind.check(item, path + (name,))
            findings += wrong
            if item is BAD:
                bad.add(name)
            else:
                clean[name] = item
        clean.bad = frozenset(bad)
        for key in self.keys:
            # 'timout' already says "did you mean 'timeout'?": no second line for the same typo.
            if key.required and key.name not in value and key.name not in meant:
                hint = f"add {key.name}: {key.doc}"
                findings.append(Finding(path, f"missing '{key.name}'", hint))
        return clean, findings

    def unknown(self, name: str, path: YamlPath) -> tuple[Finding, str | None]:
        names = [key.name for key in self.keys]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = suggest(name, names) or "expected one of: " + ", ".join(names)
        finding = Finding(path + (name,), f"unknown key '{name}'", hint, at_key=True)
        return finding, (close[0] if close else None)


@dataclass(frozen=True)
class Table(Kind):
    """A mapping from ids the operator chooses (menu ids, need ids...) to values of one kind."""

    value: Kind = field(default_factory=Text)
    what: str = "ids"
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"a mapping of {self.what}")

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return BAD, [self.wrong(value, path)]
        if not value:
            return BAD, [Finding(path, f"no {self.what}", f"add at least one of the {self.what}")]
        clean, findings = {}, []
        for name, item in value.items():
            item, wrong = self.value.check(item, path + (name,))
            findings += wrong
            # Keep the id even when its value is bad, so references to it still resolve.
            clean[name] = None if item is BAD else item
        return clean, findings


@dataclass(frozen=True)
class Items(Kind):
    item: Kind = field(default_factory=Text)
    what: str = "texts"
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"a list of {self.what}")

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if not isinstance(value, list):
            return BAD, [self.wrong(value, path, "write it as [a, b] or one '- item' per line")]
        clean, findings = [], []
        for index, item in enumerate(value):
            item, wrong = self.item.check(item, path + (index,))
            findings += wrong
            clean.append(None if item is BAD else item)  # keep indexes: paths point at lines
        return clean, findings


@dataclass(frozen=True)
class Exactly(Kind):
    """One literal value, such as `silence: true`."""

    value: Any = True
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", describe(self.value).removeprefix("the text "))

    def accepts(self, value: Any) -> bool:
        return type(value) is type(self.value) and value == self.value


def shape_of(value: Any) -> str:
    """'mapping', 'list' or 'scalar': how a YAML value is written."""
    return "mapping" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


SHAPES = {Fields: "mapping", Table: "mapping", Texts: "mapping", Items: "list"}


@dataclass(frozen=True)
class OneOf(Kind):
    """A value written in one of several shapes (a word, a list, a mapping); its shape says
    which kind checks it, so the problems are those of the form the author chose."""

    kinds: tuple[Kind, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", " or ".join(kind.name for kind in self.kinds))

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        for kind in self.kinds:
            if SHAPES.get(type(kind), "scalar") == shape_of(value):
                return kind.check(value, path)
        return BAD, [self.wrong(value, path)]
