"""Kinds of values for the language work (issue 10): key paths and reviewed translations.

A translation a fluent speaker has checked is written `{text: ..., reviewed: 1a2b3c4d}`, the
first 8 hex digits of the sha256 of its source text at review time; a plain string in a
translated language is unreviewed. `ReviewedText` is still a str, so every other check and
the loader read it as the text it is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ivr.core.phone import KEYPAD as PHONE_KEYS
from ivr.menus.kinds import BAD
from ivr.menus.kinds import Kind
from ivr.menus.kinds import Text
from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath

_HASH = re.compile(r"^[0-9a-f]{8}$")


def source_hash(text: str) -> str:
    """What `reviewed:` holds: the first 8 hex digits of the sha256 of the source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class ReviewedText(str):
    """A text a fluent speaker reviewed, against the source text whose hash is `reviewed`."""

    reviewed: str = ""


@dataclass(frozen=True)
class KeyPath(Kind):
    """One key ("4") or two keys separated by a space ("8 1"): 8, then 1 on the next menu."""

    name: str = 'one key or two keys with a space between, e.g. "4" or "8 1"'

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
            return str(value), []
        parts = value.split(" ") if isinstance(value, str) else []
        if 1 <= len(parts) <= 2 and all(len(p) == 1 and p in PHONE_KEYS for p in parts):
            return value, []
        hint = 'write it in quotes: "*" or "8 1"' if value is None else None
        return BAD, [self.wrong(value, path, hint)]


@dataclass(frozen=True)
class ReviewedTexts(Texts):
    """Texts whose translations may be `{text: ..., reviewed: <hash>}` mappings."""

    def check(self, value: Any, path: YamlPath) -> tuple[Any, list[Finding]]:
        if not isinstance(value, dict):
            return super().check(value, path)
        plain = {code: _text_of(text) for code, text in value.items()}
        clean, findings = super().check(plain, path)
        for code, text in value.items():
            if isinstance(text, dict) and code in clean:
                reviewed, wrong = _check_review(text, path + (code,))
                findings += wrong
                if reviewed is not None:
                    clean[code] = ReviewedText(clean[code])
                    clean[code].reviewed = reviewed
        return clean, findings


def _text_of(value: Any) -> Any:
    return value.get("text") if isinstance(value, dict) else value


def _check_review(value: dict[str, Any], path: YamlPath) -> tuple[str | None, list[Finding]]:
    findings = []
    for name in value:
        if name not in ("text", "reviewed"):
            findings.append(Finding(path + (name,), f"unknown key '{name}'",
                                    "a reviewed text has only text: and reviewed:", at_key=True))
    reviewed = value.get("reviewed")
    if isinstance(reviewed, str) and _HASH.match(reviewed):
        return reviewed, findings
    hint = ("the first 8 hex digits of the sha256 of the source text; "
            "`ivr translations import` writes it")
    if "reviewed" not in value:
        findings.append(Finding(path, "missing 'reviewed'", hint))
    else:
        findings.append(Finding(path + ("reviewed",), "is not a review hash", hint))
    return None, findings


__all__ = ["KeyPath", "ReviewedText", "ReviewedTexts", "Text", "source_hash"]
