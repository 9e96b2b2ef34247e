"""The YAML loader: libyaml reads, PyYAML composes, and limits are counted on the way.

A file beyond ivr.menus.limits, or one libyaml refuses for a character it cannot read, is
one problem at its line and column (issue 22 items 2 and 3).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer

from ivr.menus.characters import Refused
from ivr.menus.characters import find_refused
from ivr.menus.limits import MAX_ALIASES
from ivr.menus.limits import MAX_DEPTH
from ivr.menus.limits import MAX_ENTRIES
from ivr.menus.limits import MAX_VALUES
from ivr.menus.problems import Problem

# libyaml's loader keeps marks too and is several times faster on a large directory.
# (libyaml gives a plain scalar the style "", the pure-Python loader None.)
_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Mark = tuple[int, int]


class OverLimit(Exception):
    """A file beyond ivr.menus.limits: one problem, and no more of the file is read."""

    def __init__(self, mark: yaml.Mark | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class CountingLoader(Composer, _LOADER):  # type: ignore[misc]
    """PyYAML's composer over libyaml's events, counting as it composes (issue 22 item 3).

    libyaml's own composer builds every node before anyone can look: 25 million list items
    took 5.9 GB. This one stops at the first value over a limit. It is no slower.
    """

    def __init__(self, text: str) -> None:
        _LOADER.__init__(self, text)
        Composer.__init__(self)
        self.values = self.aliases = self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        mark = self.peek_event().start_mark
        self.values += 1
        if self.values > MAX_VALUES:
            raise OverLimit(mark, f"more than {MAX_VALUES:,} values", _FEWER)
        if parent is not None and len(parent.value) >= MAX_ENTRIES:
            raise OverLimit(mark, f"more than {MAX_ENTRIES:,} entries in one list or mapping",
                            _FEWER)
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise OverLimit(mark, f"more than {MAX_ALIASES:,} aliases (*name)",
                                "write the values out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise OverLimit(mark, f"nested more than {MAX_DEPTH} deep", _FEWER)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_FEWER = "no menus or scenario file needs more: is this the right file? (docs/menus.md, Limits)"


def character_problem(text: str, index: int, filename: str) -> Problem:
    """The refused character at `index` of the text, where an editor shows it."""
    index = min(index, len(text) - 1)
    refused = find_refused(text[index]) or Refused(index, text[index])
    message, hint = refused.describe()
    line, column = line_column(text, index)
    return Problem(filename, line, column, "error", "", message, hint)


def reader_index(text: str, error: yaml.reader.ReaderError) -> int:
    """libyaml gives the byte offset in UTF-8, PyYAML the character: the character's."""
    if error.encoding != "?" and 0 <= error.position < len(text):
        return int(error.position)
    return len(text.encode("utf-8")[:error.position].decode("utf-8", "ignore"))


def line_column(text: str, index: int) -> Mark:
    """1-based, as an editor shows them (a line ends at "\\n" only)."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1
