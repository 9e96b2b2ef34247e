"""A language a test adds to a copy of the shipped menus, as an operator would (issue 23
item 6), and a language code no menus have.

Whatever languages the helpline has added to its own menus.yaml, these keep working: the
copy first takes out the file's own entry under the code the test adds (a helpline that
added German gets the test's German in its place), and the added language gets a key path
no language has, after all of them, so it is said last.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

NO_SUCH_LANGUAGE = "qqq"
"""A well-formed language code no helpline declares: ISO 639-2 keeps qaa-qtz for local use,
so it names no real language; tests use it for "a language the menus do not have"."""

GERMAN: dict[str, Any] = {
    "name": "Deutsch", "agent_name": "saksa", "translated_from": "fi",
    "gtts": {"lang": "de", "tld": "de"}, "twilio": {"language": "de-DE", "voice": "Polly.Vicki"},
    "espeak": "de", "words": {"dot": "Punkt", "at": "at", "dash": "Strich", "star": "Stern",
                              "hash": "Raute"},
}
"""German as docs/translations.md declares a spoken language: every engine and its words."""

ESTONIAN: dict[str, Any] = {
    "name": "eesti", "agent_name": "viro", "translated_from": "fi",
    "words": {"dot": "punkt", "at": "ät", "dash": "kriips", "star": "tärn", "hash": "trellid"},
}
"""Estonian as an operator must declare it: Twilio has no Estonian <Say> voice, so it has no
engines and is spoken by recordings (docs/translations.md)."""


def free_key_path(data: dict[str, Any], page: str = "8") -> str:
    """A two-key path under `page` that no language has, after every one there."""
    taken = {str(entry.get("key")) for entry in data["languages"].values()}
    seconds = [path.split()[1] for path in taken if path.startswith(page + " ")]
    global_keys = set(data["call"]["keys"].values())
    free = [key for key in "12345678" if key not in global_keys and f"{page} {key}" not in taken]
    later = [key for key in free if not seconds or key > max(seconds)]
    return f"{page} {(later or free)[0]}"


def without_language(data: dict[str, Any], code: str) -> None:
    """Take language `code` and every text in it out of the menus data."""
    data["languages"].pop(code, None)
    data.get("pronunciations", {}).pop(code, None)
    _drop(data, code)


def _drop(node: Any, code: str) -> None:
    if isinstance(node, dict):
        if "fi" in node and isinstance(node.get(code), str | dict):
            node.pop(code)
        for value in node.values():
            _drop(value, code)
    elif isinstance(node, list):
        for item in node:
            _drop(item, code)


def copy_texts(node: Any, source: str, target: str) -> None:
    """Every text of `source` also in `target`: test data, not a translation."""
    if isinstance(node, dict):
        if source in node and isinstance(node[source], str) and "fi" in node:
            node.setdefault(target, node[source])
        for value in node.values():
            copy_texts(value, source, target)
    elif isinstance(node, list):
        for item in node:
            copy_texts(item, source, target)


def with_language(shipped: str, code: str, entry: dict[str, Any],
                  texts_from: str | None = "en") -> str:
    """The menus text `shipped` with language `code` declared as `entry` (on a free key path
    unless the entry has one) and, with `texts_from`, that language's texts copied in."""
    data = yaml.safe_load(shipped)
    without_language(data, code)
    data["languages"][code] = {"key": free_key_path(data), **copy.deepcopy(entry)}
    if texts_from:
        copy_texts(data, texts_from, code)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
