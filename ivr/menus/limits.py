"""The most a menus file may hold, all in one place (issue 22 item 3).

Each limit is far beyond what the shipped menus.yaml needs (12 languages, 6 menus, 12
services, 95 kB, texts of 371 characters at most), and small enough that a file beyond it is
refused in milliseconds, before it is built in memory: a 50 MB file once took `validate`
115 s and 5.9 GB to fail, and a server reloading it answered nothing. docs/menus.md
("Limits") lists the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath

MAX_FILE_BYTES = 2_000_000
"""Checked before the file is parsed."""
MAX_VALUES = 50_000
"""Keys, texts and numbers written in the file (the shipped one has 2,409); counted while
PyYAML composes it, as are MAX_DEPTH, MAX_ALIASES and MAX_ENTRIES."""
MAX_EXPANDED = 100_000
"""Values once every alias (*name) is expanded: each use walks its anchor again."""
MAX_ALIASES = 1_000
MAX_DEPTH = 20
"""Lists and mappings inside each other; the shipped file goes 6 deep."""
MAX_TEXT = 2_000
"""Characters in one text (or any value): two minutes of speech."""
MAX_ITEMS = 100
"""Entries of any list or mapping COUNTS does not name."""
COUNTS: dict[YamlPath, tuple[int, str, str]] = {
    ("languages",): (50, "languages", "no helpline offers more"),
    ("menus",): (100, "menus", "no caller finds their way through more"),
    ("menus", "*", "options"): (12, "options", "a phone has 12 keys"),
    ("services",): (500, "services", "no directory of this helpline needs more"),
}
"""Lists and mappings that may hold more or fewer than MAX_ITEMS: (most, what, why)."""
MAX_ENTRIES = max(MAX_ITEMS, *(most for most, _, _ in COUNTS.values()))
"""Entries of any list or mapping, while composing: the rest are not read."""
LIMITS_DOC = "docs/menus.md, Limits"


def check_size(text: str) -> tuple[str, str] | None:
    """(message, hint) when the text is over MAX_FILE_BYTES in UTF-8."""
    # isascii() is instant on a str; encoding 50 MB only to measure it would double the memory.
    return too_big(len(text) if text.isascii() or len(text) > MAX_FILE_BYTES
                   else len(text.encode()))


def too_big(size: int) -> tuple[str, str] | None:
    """(message, hint) when a file of `size` bytes is over MAX_FILE_BYTES: a reader can ask
    before it reads the file (os.stat)."""
    if size <= MAX_FILE_BYTES:
        return None
    return (f"the file is over {MAX_FILE_BYTES:,} bytes, the most a menus file may be",
            "check it is the menus file: the shipped one, with 12 languages, is 95 kB")


def check_counts(data: Any, path: YamlPath = ()) -> Iterator[Finding]:
    """Every list or mapping over its count, and every text over MAX_TEXT characters."""
    if isinstance(data, str):
        if len(data) > MAX_TEXT:
            yield Finding(path, f"a text of {len(data):,} characters; at most {MAX_TEXT:,}",
                          "shorten it: a caller hears each text whole")
        return
    if not isinstance(data, dict | list):
        return
    most, what, why = _limit(path)
    if len(data) > most:
        yield Finding(path, f"{len(data):,} {what}; at most {most:,}", f"{why}; {LIMITS_DOC}")
        return  # its entries would only repeat the point
    entries = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in entries:
        if isinstance(key, str) and len(key) > MAX_TEXT:
            # Said at the mapping: a path naming the key would be as long as the key.
            yield Finding(path, f"a key of {len(key):,} characters; at most {MAX_TEXT:,}",
                          "shorten it")
            continue
        yield from check_counts(value, path + (key,))


def _limit(path: YamlPath) -> tuple[int, str, str]:
    for pattern, limit in COUNTS.items():
        if len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path,
                                                                            strict=True)):
            return limit
    return MAX_ITEMS, "entries", "no list or mapping of a menus file needs more"
