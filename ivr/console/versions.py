"""What the history page shows: the versions of menus.yaml that went live on this server,
and what changed between two of them, as a unified diff of the YAML (issue 20 item 5)."""

from __future__ import annotations

from dataclasses import dataclass

from ivr.web.history import Entry
from ivr.web.history import History
from ivr.web.history import diff_lines
from ivr.web.history import version_of


@dataclass(frozen=True)
class Row:
    entry: Entry
    previous: str | None
    """The version live before this one (None for the oldest kept): its "changes" link."""
    kept: bool


@dataclass(frozen=True)
class Comparison:
    old: str
    new: str
    lines: list[tuple[str, str]]
    """(kind, text) per line of the diff: kind is the CSS class (file, hunk, add, del, same)."""


def rows(history: History) -> list[Row]:
    """Every time a version went live, newest first (OSError if the index is unreadable)."""
    entries = history.entries()
    befores = [None, *(entry.version for entry in entries)]
    made = [Row(entry, before if before != entry.version else None,
                history.file(entry.version).is_file())
            for entry, before in zip(entries, befores, strict=False)]
    return made[::-1]


def compare(history: History, old: str, new: str) -> Comparison:
    """Version `old` against `new`, or against the menus file as it is now when `new` is
    empty (HistoryError if either cannot be had)."""
    before = history.resolve(old)
    old_raw = history.read(before.version)
    if new:
        after = history.resolve(new)
        new_raw, new_label = history.read(after.version), after.version
    else:
        new_raw = history.current()
        new_label = f"{history.menus_path.name} now ({version_of(new_raw)})"
    lines = diff_lines(old_raw, new_raw, before.version, new_label)
    return Comparison(before.version, new_label, [(_kind(line), line) for line in lines])


def _kind(line: str) -> str:
    if line.startswith(("---", "+++")):
        return "file"
    return {"@": "hunk", "+": "add", "-": "del"}.get(line[:1], "same")
