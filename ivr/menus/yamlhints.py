"""PyYAML's words for the slips operators make, said plainly with the fix (issue 8 item 11).

PyYAML names what its parser expected ("did not find expected key"), not what was typed.
Each rule here recognises one common slip from the error and the lines around it and says
what to do: which line to line up with, which text to put in quotes. An error no rule
recognises keeps PyYAML's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

_KEY_AT_START = re.compile(r"^\s*(?:-\s+)?([^\s:#{}\[\],\"'][^:#{}\[\],]*?):(?:\s|$)")
_FLOW_KEY = re.compile(r"[{,]\s*([\w-]+):\s+")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([\w-]+):(\S.*)$")
_CLOSERS = {"}": "{", "]": "["}


@dataclass(frozen=True)
class Slip:
    """A recognised slip: where to look (1-based), what is wrong, how to fix it."""

    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True)
class _Error:
    problem: str
    context: str
    line: int  # 0-based, as PyYAML counts
    column: int
    context_line: int | None
    lines: list[str]
    context_column: int = 0

    def text(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    @property
    def here(self) -> str:
        return self.text(self.line)


def explain(error: yaml.MarkedYAMLError, text: str) -> Slip | None:
    """The slip behind a YAML syntax error, or None if no rule knows it."""
    mark = error.problem_mark
    if mark is None:
        return None
    where = error.context_mark
    found = _Error(error.problem or "", error.context or "", mark.line, mark.column,
                   where.line if where else None, text.splitlines(), where.column if where else 0)
    for rule in _RULES:
        try:
            slip = rule(found)
        except (IndexError, ValueError, KeyError):  # a hint must never hide the error itself
            continue
        if slip is not None:
            return slip
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key(line: str) -> str:
    match = _KEY_AT_START.match(line)
    return match.group(1).strip() if match else line.strip()[:20]


def _quoted(value: str) -> str:
    value = value.strip()
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', '\\"') + '"'


def _value_fix(e: _Error) -> str:
    """The key and value around the error, written with the value in quotes."""
    line, column = e.here, e.column
    flow = [m for m in _FLOW_KEY.finditer(line) if m.end() <= column]
    if flow:
        start, key = flow[-1].end(), flow[-1].group(1)
        end = min([i for i in (line.find(",", column), line.find("}", column)) if i >= 0]
                  or [len(line)])
        return f"{key}: {_quoted(line[start:end])}"
    match = _KEY_AT_START.match(line)
    if not match:
        return '"..."'
    return f"{match.group(1).strip()}: {_quoted(_uncommented(line[match.end():]))}"


def _uncommented(value: str) -> str:
    """The value without a comment set apart from it by two or more spaces."""
    return re.sub(r"\s{2,}#.*$", "", value).strip()


def _unclosed_quote(e: _Error) -> Slip | None:
    if "quoted scalar" in e.context and e.context_line is not None:
        line, column = e.context_line, e.context_column  # PyYAML names the opening quote
    else:
        first = e.context_line if e.context_line is not None else e.line
        odd = [i for i in range(first, e.line + 1) if _quotes(e.text(i)) % 2]
        if not odd or not e.problem.startswith(("did not find expected", "could not find")):
            return None
        line = odd[0]
        column = e.text(line).find('"')
    quote = e.text(line)[column:column + 1] if e.text(line)[column:column + 1] in "'\"" else '"'
    return Slip(line + 1, column + 1, f"a text in quotes on line {line + 1} is never closed",
                f"end each text with a {quote} on its own line: a quote runs on to the next "
                f"{quote}")


def _quotes(line: str) -> int:
    return len(re.findall(r'(?<!\\)"', line))


def _quote_then_text(e: _Error) -> Slip | None:
    before, after = e.here[: e.column].rstrip(), e.here[e.column:]
    if not before.endswith(('"', "'")) or after[:1] in ("", ",", "}", "]", "#"):
        return None
    return Slip(e.line + 1, e.column + 1, "the text goes on after its closing quote",
                f"put the whole text in quotes, other quotes inside it: {_value_fix(e)}")


def _colon_in_text(e: _Error) -> Slip | None:
    in_block = e.problem == "mapping values are not allowed in this context"
    in_flow = e.problem.startswith("did not find expected ','") and e.here[e.column:][:1] == ":"
    line = e.here[: e.column]
    has_key = bool(_FLOW_KEY.search(line)) if in_flow else bool(_KEY_AT_START.match(line))
    if not (in_block or in_flow) or not has_key:
        return None
    return Slip(e.line + 1, e.column + 1, "a ': ' inside a text, where YAML expects one key",
                f"put the text in quotes: {_value_fix(e)}")


def _previous(e: _Error, line: int) -> int | None:
    for index in range(line - 1, -1, -1):
        stripped = e.text(index).strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


@dataclass(frozen=True)
class _Level:
    """A line above the slip that opens or continues a block: where its key and dash are."""

    line: int
    key: int  # the column of its key (after '- ' on a list item's line)
    dash: int | None  # the column of its '-', on a list item's line

    def name(self, e: _Error) -> str:
        return _key(e.text(self.line))


def _levels(e: _Error, line: int) -> list[_Level]:
    """The lines a line can line up with, nearest first: the line above, then each line
    above it that is indented less than all between (the blocks it is inside)."""
    levels: list[_Level] = []
    limit = None
    index = _previous(e, line)
    while index is not None and limit != 0:
        text = e.text(index)
        dash = _indent(text) if text.lstrip(" ").startswith("- ") else None
        level = _Level(index, _item_indent(text), dash)
        if limit is None or _indent(text) < limit:
            levels.append(level)
            limit = _indent(text)
        index = _previous(e, index)
    return levels


def _misaligned(e: _Error, line: int) -> Slip | None:
    levels = _levels(e, line)
    if not levels:
        return None
    here = e.text(line)
    column = _indent(here)
    if here.lstrip(" ").startswith("-"):
        return _misaligned_dash(e, line, column, levels)
    item = next((level for level in levels if level.dash == column), None)
    if item is not None and _key(here) == item.name(e):
        return new_item_without_dash(_uncommented(here), line + 1, column + 1, item.line + 1,
                                     column)
    target = _target(e, line, column, levels)
    if target.key == column:
        return None
    before = _previous(e, target.line)
    if column > target.key and before is not None and _broke_the_block(e, target, before,
                                                                        column):
        # `en:` dedented out of its text: the slip is that line, not the next text's.
        return _unaligned(e, target.line, target.key, _Level(before, column, None))
    if column > target.key and before is not None and _first_not_under(e, target, before):
        # `global_keys:` then `fi:` level with it: fi is the slip, the deeper en is right.
        return _unaligned(e, target.line, target.key, _Level(line, column, None), "below")
    return _unaligned(e, line, column, target)


def _unaligned(e: _Error, line: int, column: int, target: _Level, where: str = "above"
               ) -> Slip:
    deeper = "more" if column > target.key else "less"
    return Slip(line + 1, column + 1, f"'{_key(e.text(line))}' is indented {deeper} than "
                f"'{target.name(e)}' on line {target.line + 1} {where} it", f"line it up with "
                f"'{target.name(e)}': {_spaces(target.key)} before it, as on line "
                f"{target.line + 1}")


def _first_not_under(e: _Error, above: _Level, before: int) -> bool:
    """The line above is level with the key before it, a key with no value, which it was
    meant to be under."""
    return (_item_indent(e.text(before)) == above.key
            and bool(re.match(r"^\s*(- )?[^:#\s][^:#]*:\s*(#.*)?$", e.text(before))))


def _broke_the_block(e: _Error, above: _Level, before: int, column: int) -> bool:
    """The line above, a key with its value, is less deep than the lines on both sides."""
    return (_item_indent(e.text(before)) == column and above.key < column
            and bool(re.match(r"^\s*[^:#\s][^:#]*:\s*\S", e.text(above.line))))


def _misaligned_dash(e: _Error, line: int, column: int, levels: list[_Level]) -> Slip | None:
    dashes = [(level.dash, level) for level in levels if level.dash is not None]
    if not dashes:
        return None
    dash, item = min(dashes, key=lambda found: (abs(found[0] - column), found[1].line * -1))
    if dash == column:
        return None
    deeper = "more" if column > dash else "less"
    return Slip(line + 1, column + 1, f"this '-' is indented {deeper} than the '-' on line "
                f"{item.line + 1} above it", f"line it up with the '-': {_spaces(dash)} "
                f"before it, as on line {item.line + 1}")


def _target(e: _Error, line: int, column: int, levels: list[_Level]) -> _Level:
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
                f"write '- {written}' with the '-' at {_spaces(dash)}, as on line {item_line}")


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else f"{count} space{'s' if count > 1 else ''}"


def _item_indent(line: str) -> int:
    """Where a line's key starts: after '- ' on a list item line."""
    stripped = line.lstrip(" ")
    if stripped.startswith("- ") and _KEY_AT_START.match(line):
        return _indent(line) + 2
    return _indent(line)


def _indentation(e: _Error) -> Slip | None:
    if e.problem == "mapping values are not allowed in this context":
        return _misaligned(e, e.line)  # the line was read as more of the text above it
    if e.problem in ("did not find expected key", "did not find expected '-' indicator"):
        return _misaligned(e, e.line)
    return None


def _dash_without_space(e: _Error) -> Slip | None:
    after = e.here[e.column:]
    if e.problem != "did not find expected '-' indicator" or not re.match(r"-[^\s-]", after):
        return None
    return Slip(e.line + 1, e.column + 1, "a '-' with no space after it is not a list item",
                f"write a space after the '-': - {_uncommented(after[1:])}")


def _no_space_after_colon(e: _Error) -> Slip | None:
    if e.problem != "could not find expected ':'" or e.context_line is None:
        return None
    match = _NO_SPACE.match(e.text(e.context_line))
    if not match:
        return None
    key = match.group(1)
    return Slip(e.context_line + 1, match.end(1) + 1, f"no space after the ':' of '{key}'",
                f"write a space after the colon: {key}: {_uncommented(match.group(2))}")


def _unclosed_bracket(e: _Error) -> Slip | None:
    match = re.match(r"did not find expected ',' or '([}\]])'", e.problem)
    if not match or e.context_line is None:
        return None
    closer = match.group(1)
    opener = _CLOSERS[closer]
    start = e.text(e.context_line)
    comment = re.search(r"(?<=\S) #(?!#)", start)  # right after a word, as in a text
    if comment and closer in start[comment.start():]:
        return Slip(e.context_line + 1, comment.start() + 2,
                    f"a ' #' inside {opener}...{closer} starts a comment that hides the rest "
                    "of the line", "put the text with the # in quotes: "
                    + _value_fix(_Error(e.problem, e.context, e.context_line, comment.start(),
                                        None, e.lines)))
    if e.line == e.context_line:
        return None
    return Slip(e.line + 1, e.column + 1,
                f"the {opener} on line {e.context_line + 1} is never closed "
                f"(expected ',' or '{closer}')",
                f"end it with {closer} on line {e.context_line + 1}")


def _bad_first_character(e: _Error) -> Slip | None:
    after = e.here[e.column:]
    if e.problem != "found character that cannot start any token" or after[:1] not in "@`%":
        return None
    if e.here[: e.column].strip() in ("", "-"):
        return _line_start(e.line, e.column, after[:1])
    return Slip(e.line + 1, e.column + 1, f"a text cannot start with {after[:1]} in YAML",
                f"put the text in quotes: {_value_fix(e)}")


def _anchor_or_alias(e: _Error) -> Slip | None:
    if not re.search(r"alias|anchor", e.context) or e.context_line is None:
        return None
    line = e.text(e.context_line)
    start = line.find("*") if "alias" in e.context else line.find("&")
    rest = line[start:].split("#")[0].strip()
    sign = rest[:1] or "*"
    if line[:start].strip() in ("", "-"):
        return _line_start(e.context_line, start, sign)
    if len(rest) <= 1:
        return Slip(e.context_line + 1, start + 1, f"a bare {sign} starts a YAML "
                    f"{'alias' if sign == '*' else 'anchor'}",
                    f'write the key in quotes: "{sign}"')
    fix = _value_fix(_Error(e.problem, e.context, e.context_line, start, None, e.lines))
    return Slip(e.context_line + 1, start + 1, f"a text cannot start with {sign} in YAML",
                f"put the text in quotes: {fix}")


def _line_start(line: int, column: int, sign: str) -> Slip:
    return Slip(line + 1, column + 1, f"a line cannot start with {sign} in YAML",
                "a list item starts with '- ', and a key or text that starts with "
                f'{sign} goes in quotes: "{sign}..."')


_RULES: list[Callable[[_Error], Slip | None]] = [
    _unclosed_quote,
    _quote_then_text,
    _anchor_or_alias,
    _bad_first_character,
    _colon_in_text,
    _dash_without_space,
    _no_space_after_colon,
    _unclosed_bracket,
    _indentation,
]
