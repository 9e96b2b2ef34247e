"""Checks of the language choice and the languages themselves (issue 10).

Key paths that never change once printed, spoken and recorded-only languages, the numbers
of their own (numbers.lines) and how much of each translated language a fluent speaker has
reviewed. ivr/menus/checks.py runs `check_language_data` with its other checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import phonenumbers

from ivr.menus.kinds import Texts
from ivr.menus.langkinds import ReviewedText
from ivr.menus.langkinds import source_hash
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import plural
from ivr.menus.problems import suggest
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk

Data = dict[str, Any]
ENGINE_KEYS = ("gtts", "twilio", "espeak", "words")


def _section(m: Data, *names: str) -> Data:
    value: Any = m
    for name in names:
        value = value.get(name) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _languages(m: Data) -> Data:
    return {code: d for code, d in _section(m, "languages").items() if isinstance(d, dict)}


def is_spoken(language: Data) -> bool:
    """A language with a speech engine; one with neither gtts nor twilio is recorded-only."""
    return "gtts" in language or "twilio" in language


def check_language_data(m: Data) -> list[Finding]:
    """Every problem of the languages and the language choice."""
    return [*check_key_paths(m), *check_engines(m), *check_settings(m), *check_lines(m),
            *check_reviews(m)]


def check_key_paths(m: Data) -> Iterator[Finding]:
    """No key of a path is a global key; no one-key path is the first key of a longer one."""
    keys = _section(m, "call", "keys")
    taken = {key: name for name, key in keys.items()}
    paths = {code: str(d["key"]) for code, d in _languages(m).items() if "key" in d}
    firsts = {path.split()[0]: code for code, path in paths.items() if len(path.split()) == 2}
    for code, path in paths.items():
        parts, where = path.split(), ("languages", code, "key")
        if len(parts) == 1 and parts[0] in firsts:
            yield Finding(where, f"key '{path}' opens the second language menu (for "
                          f"'{firsts[parts[0]]}')", "choose a key that starts no other path")
        for part in parts[1:] if len(parts) == 2 else ():
            if part in taken:
                yield Finding(where, f"key '{part}' is the global {taken[part]} key",
                              "choose a key that is not in call.keys")
        if len(parts) == 2 and parts[0] in taken:
            yield Finding(where, f"key '{parts[0]}' is the global {taken[parts[0]]} key",
                          "choose a key that is not in call.keys")


def check_engines(m: Data) -> Iterator[Finding]:
    """A spoken language has every engine and its words; translated_from is a language."""
    languages = _languages(m)
    for code, language in languages.items():
        path: YamlPath = ("languages", code)
        if is_spoken(language):
            for name in ENGINE_KEYS:
                if name not in language and name not in getattr(language, "bad", ()):
                    yield Finding(path, f"missing '{name}'", f"a language with "
                                  f"{'gtts' if 'gtts' in language else 'twilio'} is spoken by "
                                  "machines and needs gtts, twilio, espeak and words; without "
                                  "gtts and twilio it is spoken only by recordings")
        source = language.get("translated_from")
        if source is not None and (source == code or source not in languages):
            yield Finding(path + ("translated_from",), f"no other language named '{source}'",
                          suggest(source, [c for c in languages if c != code]))


def check_settings(m: Data) -> Iterator[Finding]:
    """The languages heard before a choice, and by the agent, are spoken ones."""
    languages, call = _languages(m), _section(m, "call")
    for name in ("default_language", "agent_language"):
        language = languages.get(str(call.get(name)))
        if language is not None and not is_spoken(language):
            yield Finding(("call", name), f"'{call[name]}' is spoken only by recordings",
                          "choose a language with gtts and twilio")
    greeting = [c for c, d in languages.items() if d.get("greets")]
    if greeting and not any(is_spoken(languages[c]) for c in greeting):
        yield Finding(("languages",), "no spoken language greets", "set greets: true on a "
                      "language with gtts and twilio: it says the 112 notice first", at_key=True)
    texts = _section(m, "texts")
    agent = str(call.get("agent_language"))
    if "whisper_no_language" in texts and agent in languages:
        if agent not in texts["whisper_no_language"]:
            yield Finding(("texts", "whisper_no_language"), f"no text in '{agent}'",
                          "the agent hears it in call.agent_language")


def check_lines(m: Data) -> Iterator[Finding]:
    """numbers.lines: real numbers in international form, each leading to a language."""
    languages, numbers = _languages(m), _section(m, "numbers")
    for number, lang in _section(m, "numbers", "lines").items():
        path: YamlPath = ("numbers", "lines", number)
        try:
            parsed = phonenumbers.parse(str(number), None)
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            valid = phonenumbers.is_valid_number(parsed)
        except phonenumbers.NumberParseException:
            valid, e164 = False, ""
        if not valid:
            yield Finding(path, f"'{number}' is not a phone number", "write the Twilio number "
                          "callers dial, in international form: \"+358...\"", at_key=True)
        elif e164 != number:
            yield Finding(path, f"'{number}' is not in international form", f"write {e164}",
                          at_key=True)
        elif number in (numbers.get("info_line"), numbers.get("emergency")):
            yield Finding(path, f"'{number}' is a number calls are put through to",
                          "list only the helpline's own Twilio numbers", at_key=True)
        if languages and lang not in languages:
            yield Finding(path, f"no language named '{lang}'", suggest(str(lang), languages))


def _texts(m: Data) -> Iterator[tuple[YamlPath, Data]]:
    for path, kind, texts in walk(MENUS, m):
        if isinstance(kind, Texts):
            yield path, texts


def review_counts(m: Data, code: str, source: str) -> tuple[int, int, int]:
    """(texts, unreviewed, of them because the source changed) of one translated language."""
    total = unreviewed = changed = 0
    for _, texts in _texts(m):
        if code not in texts or source not in texts:
            continue
        total += 1
        text = texts[code]
        if not isinstance(text, ReviewedText):
            unreviewed += 1
        elif text.reviewed != source_hash(texts[source]):
            unreviewed, changed = unreviewed + 1, changed + 1
    return total, unreviewed, changed


def check_reviews(m: Data) -> Iterator[Finding]:
    """One warning per translated language with texts no fluent speaker has reviewed."""
    languages = _languages(m)
    for code, language in languages.items():
        source = language.get("translated_from")
        if source not in languages or source == code:
            continue
        total, unreviewed, changed = review_counts(m, code, source)
        if unreviewed:
            why = f", {changed} of them because the {source} text changed" if changed else ""
            yield Finding(("languages", code), f"{unreviewed} of {plural(total, 'text')} "
                          f"translated from {source} not reviewed by a fluent speaker{why}",
                          f"ivr translations export --lang {code}, then import the reviewed "
                          "file", severity="warning", at_key=True)
