"""The seed documents next to a menus file: the only source of facts callers hear.

`validate` checks each service's `source` against their names and the info line against
the phone numbers written in them (issue 8 item 9).
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from pathlib import Path

import phonenumbers

Seeds = Mapping[str, str]
"""Seed file name -> its text."""


def read_seeds(folder: Path) -> dict[str, str] | None:
    """Every file of the folder by name with its text, or None if there is no such folder."""
    try:
        if not folder.is_dir():
            return None
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return None  # an unreadable folder is no reason to fail validation
    seeds: dict[str, str] = {}
    for path in files:
        try:
            seeds[path.name] = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            seeds[path.name] = ""  # named, so `source` may name it; no numbers to check
    return seeds


def published_numbers(seeds: Collection[str] | None) -> dict[str, tuple[str, str]]:
    """E.164 -> (file, as written) for every valid phone number the seed texts give.

    Only a mapping of names to texts has texts; a bare collection of names gives none.
    """
    found: dict[str, tuple[str, str]] = {}
    if not isinstance(seeds, Mapping):
        return found
    for name, text in seeds.items():
        for match in phonenumbers.PhoneNumberMatcher(text, "FI"):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.setdefault(e164, (name, match.raw_string))
    return found
