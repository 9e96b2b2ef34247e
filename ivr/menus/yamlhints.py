"""PyYAML's words for the slips operators make, said plainly with the fix (issue 8 item 11).

PyYAML names what its parser expected ("did not find expected key"), not what was typed.
Each rule here recognises one common slip from the error and the lines around it and says
what to do: which line to line up with, which text to put in quotes. An error no rule
recognises keeps PyYAML's own words. The indentation rules are in ivr/menus/yamlindent.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from ivr.menus.yamlindent import indentation
from ivr.menus.yamlslip import KEY_AT_START
from ivr.menus.yamlslip import Slip
from ivr.menus.yamlslip import YamlError
from ivr.menus.yamlslip import uncommented

_FLOW_KEY = re.compile(r"[{,]\s*([\w-]+):\s+")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([\w-]+):(\S.*)$")
_CLOSERS = {"}": "{", "]": "["}


def explain(error: yaml.MarkedYAMLError, text: str) -> Slip | None:
    """The slip behind a YAML syntax error, or None if no rule knows it."""
    mark = error.problem_mark
    if mark is None:
        return None
    where = error.context_mark
    found = YamlError(error.problem or "", error.context or "", mark.line, mark.column,
                      where.line if where else None, text.splitlines(),
                      where.column if where else 0)
    for rule in _RULES:
        try:
            slip = rule(found)
        except (IndexError, ValueError, KeyError):  # a hint must never hide the error itself
            continue
        if slip is not None:
            return slip
    return None


def _quoted(value: str) -> str:
    value = value.strip()
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', '\\"') + '"'


def _value_fix(e: YamlError) -> str:
    """The key and value around the error, written with the value in quotes."""
    line, column = e.here, e.column
    flow = [m for m in _FLOW_KEY.finditer(line) if m.end() <= column]
    if flow:
        start, key = flow[-1].end(), flow[-1].group(1)
        end = min([i for i in (line.find(",", column), line.find("}", column)) if i >= 0]
                  or [len(line)])
        return f"{key}: {_quoted(line[start:end])}"
    match = KEY_AT_START.match(line)
    if not match:
        return '"..."'
    return f"{match.group(1).strip()}: {_quoted(uncommented(line[match.end():]))}"


def _unclosed_quote(e: YamlError) -> Slip | None:
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


def _quote_then_text(e: YamlError) -> Slip | None:
    before, after = e.here[: e.column].rstrip(), e.here[e.column:]
    if not before.endswith(('"', "'")) or after[:1] in ("", ",", "}", "]", "#"):
        return None
    return Slip(e.line + 1, e.column + 1, "the text goes on after its closing quote",
                f"put the whole text in quotes, other quotes inside it: {_value_fix(e)}")


def _colon_in_text(e: YamlError) -> Slip | None:
    in_block = e.problem == "mapping values are not allowed in this context"
    in_flow = e.problem.startswith("did not find expected ','") and e.here[e.column:][:1] == ":"
    line = e.here[: e.column]
    has_key = bool(_FLOW_KEY.search(line)) if in_flow else bool(KEY_AT_START.match(line))
    if not (in_block or in_flow) or not has_key:
        return None
    return Slip(e.line + 1, e.column + 1, "a ': ' inside a text, where YAML expects one key",
                f"put the text in quotes: {_value_fix(e)}")


def _dash_without_space(e: YamlError) -> Slip | None:
    after = e.here[e.column:]
    if e.problem != "did not find expected '-' indicator" or not re.match(r"-[^\s-]", after):
        return None
    return Slip(e.line + 1, e.column + 1, "a '-' with no space after it is not a list item",
                f"write a space after the '-': - {uncommented(after[1:])}")


def _no_space_after_colon(e: YamlError) -> Slip | None:
    if e.problem != "could not find expected ':'" or e.context_line is None:
        return None
    match = _NO_SPACE.match(e.text(e.context_line))
    if not match:
        return None
    key = match.group(1)
    return Slip(e.context_line + 1, match.end(1) + 1, f"no space after the ':' of '{key}'",
                f"write a space after the colon: {key}: {uncommented(match.group(2))}")


def _unclosed_bracket(e: YamlError) -> Slip | None:
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
                    + _value_fix(YamlError(e.problem, e.context, e.context_line, comment.start(),
                                        None, e.lines)))
    if e.line == e.context_line:
        return None
    return Slip(e.line + 1, e.column + 1,
                f"the {opener} on line {e.context_line + 1} is never closed "
                f"(expected ',' or '{closer}')",
                f"end it with {closer} on line {e.context_line + 1}")


def _bad_first_character(e: YamlError) -> Slip | None:
    after = e.here[e.column:]
    if e.problem != "found character that cannot start any token" or after[:1] not in "@`%":
        return None
    if e.here[: e.column].strip() in ("", "-"):
        return _line_start(e.line, e.column, after[:1])
    return Slip(e.line + 1, e.column + 1, f"a text cannot start with {after[:1]} in YAML",
                f"put the text in quotes: {_value_fix(e)}")


def _anchor_or_alias(e: YamlError) -> Slip | None:
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
    fix = _value_fix(YamlError(e.problem, e.context, e.context_line, start, None, e.lines))
    return Slip(e.context_line + 1, start + 1, f"a text cannot start with {sign} in YAML",
                f"put the text in quotes: {fix}")


def _line_start(line: int, column: int, sign: str) -> Slip:
    return Slip(line + 1, column + 1, f"a line cannot start with {sign} in YAML",
                "a list item starts with '- ', and a key or text that starts with "
                f'{sign} goes in quotes: "{sign}..."')


_RULES: list[Callable[[YamlError], Slip | None]] = [
    _unclosed_quote,
    _quote_then_text,
    _anchor_or_alias,
    _bad_first_character,
    _colon_in_text,
    _dash_without_space,
    _no_space_after_colon,
    _unclosed_bracket,
    indentation,
]
