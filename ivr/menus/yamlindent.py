"""Indentation slips in YAML, said with the line to fix and the line to line up with
(issue 8 item 11, issue 23 item 7).

PyYAML stops where the indentation stops making sense, often a line after the slip: a key
dedented out of the middle of its block makes the next line the error. The rules here find
the blocks above the line (the line above, then each less indented one), decide which the
line belongs to (a '-' to the list's dashes, a key to its block, a new section after a
blank line to the sections) and which line is the slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.menus.yamlslip import KEY_AT_START
from ivr.menus.yamlslip import Slip
from ivr.menus.yamlslip import YamlError
from ivr.menus.yamlslip import indent
from ivr.menus.yamlslip import key
from ivr.menus.yamlslip import previous
from ivr.menus.yamlslip import spaces
from ivr.menus.yamlslip import uncommented


def indentation(e: YamlError) -> Slip | None:
    """The indentation slip behind the error, if it is one."""
    if e.problem == "mapping values are not allowed in this context":
        return _misaligned(e, e.line)  # the line was read as more of the text above it
    if e.problem in ("did not find expected key", "did not find expected '-' indicator"):
        return _misaligned(e, e.line)
    return None


@dataclass(frozen=True)
class _Level:
    """A line above the slip that opens or continues a block: where its key and dash are."""

    line: int
    key: int  # the column of its key (after '- ' on a list item's line)
    dash: int | None  # the column of its '-', on a list item's line

    def name(self, e: YamlError) -> str:
        return key(e.text(self.line))


def _levels(e: YamlError, line: int) -> list[_Level]:
    """The lines a line can line up with, nearest first: the line above, then each line
    above it that is indented less than all between (the blocks it is inside)."""
    levels: list[_Level] = []
    limit = None
    index = previous(e, line)
    while index is not None and limit != 0:
        text = e.text(index)
        dash = indent(text) if text.lstrip(" ").startswith("- ") else None
        level = _Level(index, _item_indent(text), dash)
        if limit is None or indent(text) < limit:
            levels.append(level)
            limit = indent(text)
        index = previous(e, index)
    return levels


def _misaligned(e: YamlError, line: int) -> Slip | None:
    levels = _levels(e, line)
    if not levels:
        return None
    here = e.text(line)
    column = indent(here)
    if here.lstrip(" ").startswith("-"):
        return _misaligned_dash(e, line, column, levels)
    item = next((level for level in levels if level.dash == column), None)
    if item is not None and key(here) == item.name(e):
        return new_item_without_dash(uncommented(here), line + 1, column + 1, item.line + 1,
                                     column)
    target = _target(e, line, column, levels)
    if target.key == column:
        return None
    before = previous(e, target.line)
    if column > target.key and before is not None and _broke_the_block(e, target, before,
                                                                        column):
        # `en:` dedented out of its text: the slip is that line, not the next text's.
        return _unaligned(e, target.line, target.key, _Level(before, column, None))
    if column > target.key and before is not None and _first_not_under(e, target, before):
        # `global_keys:` then `fi:` level with it: fi is the slip, the deeper en is right.
        return _unaligned(e, target.line, target.key, _Level(line, column, None), "below")
    return _unaligned(e, line, column, target)


def _unaligned(e: YamlError, line: int, column: int, target: _Level, where: str = "above"
               ) -> Slip:
    deeper = "more" if column > target.key else "less"
    return Slip(line + 1, column + 1, f"'{key(e.text(line))}' is indented {deeper} than "
                f"'{target.name(e)}' on line {target.line + 1} {where} it", f"line it up with "
                f"'{target.name(e)}': {spaces(target.key)} before it, as on line "
                f"{target.line + 1}")


def _first_not_under(e: YamlError, above: _Level, before: int) -> bool:
    """The line above is level with the key before it, a key with no value, which it was
    meant to be under."""
    return (_item_indent(e.text(before)) == above.key
            and bool(re.match(r"^\s*(- )?[^:#\s][^:#]*:\s*(#.*)?$", e.text(before))))


def _broke_the_block(e: YamlError, above: _Level, before: int, column: int) -> bool:
    """The line above, a key with its value, is less deep than the lines on both sides."""
    return (_item_indent(e.text(before)) == column and above.key < column
            and bool(re.match(r"^\s*[^:#\s][^:#]*:\s*\S", e.text(above.line))))


def _misaligned_dash(e: YamlError, line: int, column: int, levels: list[_Level]) -> Slip | None:
    dashes = [(level.dash, level) for level in levels if level.dash is not None]
    if not dashes:
        return None
    dash, item = min(dashes, key=lambda found: (abs(found[0] - column), found[1].line * -1))
    if dash == column:
        return None
    deeper = "more" if column > dash else "less"
    return Slip(line + 1, column + 1, f"this '-' is indented {deeper} than the '-' on line "
                f"{item.line + 1} above it", f"line it up with the '-': {spaces(dash)} "
                f"before it, as on line {item.line + 1}")


def _target(e: YamlError, line: int, column: int, levels: list[_Level]) -> _Level:
    """The line a misaligned key was meant to line up with."""
    above = levels[0]
    if column >= above.key:
        return above  # deeper than the line above: one of its keys
    # Less deep: a key of one of the blocks it is inside, the nearest column; between two,
    # after a blank line the outer one (a new section starts), else the inner one.
    blank = not e.text(line - 1).strip()
    return min(levels, key=lambda level: (abs(level.key - column),
                                          level.key > column if blank else level.key < column))


def new_item_without_dash(written: str, line: int, column: int, item_line: int, dash: int
                          ) -> Slip:
    """`written` (`id: x`) on `line` begins a list item like the one on `item_line`, whose
    '-' is at column `dash` (0-based), but has no '- ' of its own (1-based line, column)."""
    key = written.split(":")[0]
    return Slip(line, column, f"'{key}' starts a new item of the list without its '- '",
                f"write '- {written}' with the '-' at {spaces(dash)}, as on line {item_line}")


def _item_indent(line: str) -> int:
    """Where a line's key starts: after '- ' on a list item line."""
    stripped = line.lstrip(" ")
    if stripped.startswith("- ") and KEY_AT_START.match(line):
        return indent(line) + 2
    return indent(line)
