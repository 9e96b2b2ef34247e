"""The shape of menus.yaml as data: kinds of values, the keys of each mapping, their docs.

`check_shape(kind, data)` reports every wrong type, missing key and unknown key at once and
returns the data with the bad values left out, so the meaning checks (ivr/checks.py) can
still run on the rest. `MENUS` at the end is the whole file; docs/menus.md explains each key.
Written as plain data rather than voluptuous/jsonschema (STYLE.md b.4): no new dependency,
and every message is ours.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ivr.problems import Finding
from ivr.problems import Path
from ivr.problems import suggest

PHONE_KEYS = "0123456789*#"
_BAD = object()  # a value that failed its check; left out of the clean data


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
    """A kind of value; `check` returns the clean value (or _BAD) and what is wrong."""

    name: str

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if self.accepts(value):
            return value, []
        return _BAD, [self.wrong(value, path)]

    def accepts(self, value: Any) -> bool:
        return False

    def wrong(self, value: Any, path: Path, hint: str | None = None) -> Finding:
        return Finding(path, f"expected {self.name}, got {describe(value)}", hint)


@dataclass(frozen=True)
class Text(Kind):
    name: str = "text"

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if isinstance(value, str) and value.strip():
            return value, []
        if isinstance(value, str):
            return _BAD, [Finding(path, "empty text", "write the text, or remove the key")]
        return _BAD, [self.wrong(value, path, _quote_hint(value))]


@dataclass(frozen=True)
class Phone(Text):
    name: str = "a phone number in quotes"

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool):
            # Unquoted, YAML reads +358... as a number and drops the plus.
            return _BAD, [self.wrong(value, path, 'write it in quotes, with its +: "+358..."')]
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


@dataclass(frozen=True)
class Flag(Kind):
    name: str = "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Day(Kind):
    name: str = "a date (YYYY-MM-DD)"

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if isinstance(value, datetime.date):
            return value, []
        try:
            return datetime.date.fromisoformat(str(value)), []
        except ValueError:
            return _BAD, [self.wrong(value, path, "for example 2026-11-25")]


@dataclass(frozen=True)
class PhoneKey(Kind):
    name: str = "one phone key: 0-9, * or #"

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
            return str(value), []  # `key: 1` unquoted means the key "1"
        if isinstance(value, str) and len(value) == 1 and value in PHONE_KEYS:
            return value, []
        # Unquoted, '#' starts a comment and '*' an alias: the value is lost or an error.
        hint = 'write it in quotes: "*" or "#"' if value is None else None
        return _BAD, [self.wrong(value, path, hint)]


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", "one of: " + ", ".join(self.values))

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if value in self.values:
            return value, []
        hint = suggest(value, self.values) if isinstance(value, str) else None
        return _BAD, [self.wrong(value, path, hint)]


@dataclass(frozen=True)
class Texts(Kind):
    """One text per language code; the codes are checked against `languages` later."""

    name: str = "a text in each language (fi: ..., en: ...)"

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return _BAD, [self.wrong(value, path)]
        clean, findings = {}, []
        for code, text in value.items():
            if text is None and not code.isalpha():
                # {fi: Hello, world} splits at the comma: 'world' becomes a key with no text.
                hint = "a text with a comma inside {...} must be in quotes"
                findings.append(Finding(path + (code,), f"'{code}' is not a language code", hint))
                continue
            text, wrong = Text().check(text, path + (code,))
            findings += wrong
            if text is not _BAD:
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

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return _BAD, [self.wrong(value, path)]
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
            if item is _BAD:
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

    def unknown(self, name: str, path: Path) -> tuple[Finding, str | None]:
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

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return _BAD, [self.wrong(value, path)]
        if not value:
            return _BAD, [Finding(path, f"no {self.what}", f"add at least one of the {self.what}")]
        clean, findings = {}, []
        for name, item in value.items():
            item, wrong = self.value.check(item, path + (name,))
            findings += wrong
            # Keep the id even when its value is bad, so references to it still resolve.
            clean[name] = None if item is _BAD else item
        return clean, findings


@dataclass(frozen=True)
class Items(Kind):
    item: Kind = field(default_factory=Text)
    what: str = "texts"
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"a list of {self.what}")

    def check(self, value: Any, path: Path) -> tuple[Any, list[Finding]]:
        if not isinstance(value, list):
            return _BAD, [self.wrong(value, path, "write it as [a, b] or one '- item' per line")]
        clean, findings = [], []
        for index, item in enumerate(value):
            item, wrong = self.item.check(item, path + (index,))
            findings += wrong
            clean.append(None if item is _BAD else item)  # keep indexes: paths point at lines
        return clean, findings


def check_shape(kind: Kind, data: Any) -> tuple[Any, list[Finding]]:
    """Every shape problem at once, and the data with the bad values left out (or None)."""
    clean, findings = kind.check(data, ())
    return (None if clean is _BAD else clean), findings


def iter_keys(kind: Kind, prefix: str = "") -> Iterator[tuple[str, Key]]:
    """Every key the schema knows, as ('services[].contact.phone', Key), for docs."""
    if isinstance(kind, Fields):
        for key in kind.keys:
            dotted = f"{prefix}.{key.name}" if prefix else key.name
            yield dotted, key
            yield from iter_keys(key.kind, dotted)
    elif isinstance(kind, Table):
        yield from iter_keys(kind.value, f"{prefix}.<id>")
    elif isinstance(kind, Items):
        yield from iter_keys(kind.item, f"{prefix}[]")


def walk(kind: Kind, data: Any, path: Path = ()) -> Iterator[tuple[Path, Kind, Any]]:
    """Every value of clean data with its path and kind (the checks find Texts this way)."""
    if data is None:
        return
    yield path, kind, data
    if isinstance(kind, Fields):
        for key in kind.keys:
            if key.name in data:
                yield from walk(key.kind, data[key.name], path + (key.name,))
    elif isinstance(kind, Table):
        for name, item in data.items():
            yield from walk(kind.value, item, path + (name,))
    elif isinstance(kind, Items):
        for index, item in enumerate(data):
            yield from walk(kind.item, item, path + (index,))


def _keys(*keys: Key) -> Fields:
    return Fields(keys=keys)


# Voices and languages: see docs/reference (Twilio <Say> voices, gTTS languages and tlds).
LANGUAGE = _keys(
    Key("key", PhoneKey(), "the key that chooses this language in the first menu"),
    Key("name", Text(), "the language's name as said in that language (told to the info line)"),
    Key("gtts", _keys(
        Key("lang", Text(), "gTTS language code for recorded prompts, e.g. fi"),
        Key("tld", Text(), "Google host gTTS uses, pinned so the accent does not drift"),
    ), "how gTTS records this language's prompts"),
    Key("twilio", _keys(
        Key("language", Text(), "Twilio <Say> language, e.g. fi-FI"),
        Key("voice", Text(), "Twilio <Say> voice, used where no recording exists"),
    ), "Twilio's own speech, used where a prompt has no recording"),
    Key("espeak", Text(), "espeak-ng voice for offline prompts, e.g. en-gb"),
    Key("words", _keys(
        Key("dot", Text(), "'.' as said in web and e-mail addresses"),
        Key("at", Text(), "'@' as said in e-mail addresses"),
        Key("dash", Text(), "'-' as said in addresses"),
        Key("star", Text(), "the * key as said"),
        Key("hash", Text(), "the # key as said"),
    ), "words for symbols, used to speak keys and addresses"),
)

CALL_KEYS = _keys(
    Key("repeat", PhoneKey(), "repeats the current menu, everywhere"),
    Key("back", PhoneKey(), "goes to the previous menu, everywhere"),
    Key("info_line", PhoneKey(), "puts the caller through to the info line, everywhere"),
    Key("emergency", PhoneKey(), "gives the emergency instructions, everywhere"),
)

CALL = _keys(
    Key("main_menu", Text(), "id of the menu a caller hears after choosing a language"),
    Key("default_language", Text(), "language used before the caller has chosen one"),
    Key("agent_language", Text(), "language the info line agent hears the call announced in"),
    Key("timeout", Number(low=1, high=60), "seconds to wait for a key before reprompting"),
    Key("max_silences", Number(low=1, high=10), "silences in one menu before the transfer"),
    Key("max_wrong_keys", Number(low=1, high=10), "wrong keys in one menu before the transfer"),
    Key("dial_timeout", Number(low=5, high=600), "seconds the info line may ring (Twilio <Dial>)"),
    Key("emergency_forwarding", Flag(), "put callers through to the emergency number "
        "(only for a carrier that routes it)", required=False),
    Key("keys", CALL_KEYS, "the global keys, which work in every menu"),
)

TEXTS = _keys(*(Key(text_id, Texts(), doc) for text_id, doc in (
    ("emergency_notice", "first sentence of each language in the language menu"),
    ("language_option", "how each language offers itself; {key}"),
    ("option", "how a menu option is said; {label} and {key}"),
    ("global_keys", "the global keys, said in the main menu; {repeat} {back} {info_line} "
     "{emergency}"),
    ("no_input", "said after a silence"),
    ("wrong_key", "said after a key that is not a choice"),
    ("too_many_tries", "said before the transfer after too many silences or wrong keys"),
    ("transferring", "said before the caller is put through to the info line"),
    ("dial_busy", "the info line was busy"),
    ("dial_no_answer", "the info line did not answer"),
    ("dial_failed", "the call to the info line failed"),
    ("dial_retry", "offered after a failed transfer; {info_line}"),
    ("emergency", "the emergency instructions"),
    ("apology", "said when something went wrong inside, before the transfer"),
    ("services_intro", "start of the services read-out; {need} and {region}"),
    ("contact_phone", "a service's phone; {phone}"),
    ("contact_email", "a service's e-mail address; {email}"),
    ("contact_web", "a service's website; {web}"),
    ("whisper", "heard by the info line agent before the call is bridged; {language}"),
)))

REGION = _keys(
    Key("name", Texts(), "the region's name in each language"),
    Key("nationwide", Flag(), "services in this region serve the whole country "
        "and are read out for every region", required=False),
)

SERVICE = _keys(
    Key("id", Text(), "a short unique id for the service"),
    Key("name", Texts(), "the organisation's name in each language"),
    Key("offers", Texts(), "who it helps and how, in each language"),
    Key("needs", Items(item=Text(), what="need ids"), "ids of the needs it helps with"),
    Key("regions", Items(item=Text(), what="region ids"), "ids of the regions it serves"),
    Key("contact", _keys(
        Key("phone", Phone(), "phone number in international form", required=False),
        Key("email", Text(), "e-mail address", required=False),
        Key("web", Text(), "web address", required=False),
    ), "how to reach it", required=False),
    Key("source", Text(), "the seed document the entry was written from"),
    Key("checked", Day(), "the date the entry was last checked against its source"),
)

OPTION = _keys(
    Key("key", PhoneKey(), "the key the caller presses"),
    Key("label", Texts(), "what the option is called (else the need's or region's name)",
        required=False),
    Key("goto", Text(), "id of the menu the key leads to", required=False),
    Key("need", Text(), "the need this key chooses", required=False),
    Key("region", Text(), "the region this key chooses", required=False),
    Key("action", Choice(values=("repeat", "info_line", "emergency")),
        "what the key does instead of goto", required=False),
)

MENU = _keys(
    Key("say", Texts(), "what the menu says before its options", required=False),
    Key("readout", Flag(), "read out the services for the chosen need and region",
        required=False),
    Key("options", Items(item=OPTION, what="options"), "the keys of this menu", required=False),
)

MENUS = _keys(
    Key("languages", Table(value=LANGUAGE, what="languages"), "the languages callers can choose"),
    Key("numbers", _keys(
        Key("info_line", Phone(), "the 24/7 info line callers are put through to"),
        Key("emergency", Phone(), "the emergency number (checked as one for Finland)"),
    ), "the numbers the call may lead to"),
    Key("call", CALL, "call settings"),
    Key("texts", TEXTS, "every fixed sentence of a call, in each language"),
    Key("needs", Table(value=Texts(), what="needs"), "what callers can ask help for"),
    Key("regions", Table(value=REGION, what="regions"), "where callers can ask help"),
    Key("services", Items(item=SERVICE, what="services"), "the directory of services"),
    Key("menus", Table(value=MENU, what="menus"), "the menus, by id"),
)
