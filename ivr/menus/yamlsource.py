"""YAML text to plain data plus the line and column of every node (STYLE.md b.4).

Generic: menus.yaml and the QA scenario files both load through here, so a typo in either
gets a message with file, line and column.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer

from ivr.menus.characters import Refused
from ivr.menus.characters import find_refused
from ivr.menus.characters import locate_in_source
from ivr.menus.limits import MAX_ALIASES
from ivr.menus.limits import MAX_DEPTH
from ivr.menus.limits import MAX_ENTRIES
from ivr.menus.limits import MAX_EXPANDED
from ivr.menus.limits import MAX_VALUES
from ivr.menus.problems import Problem
from ivr.menus.problems import YamlPath
from ivr.menus.problems import format_path
from ivr.menus.yamlhints import explain

# libyaml's loader keeps marks too and is several times faster on a large directory.
# (libyaml gives a plain scalar the style "", the pure-Python loader None.)
_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")

Mark = tuple[int, int]


class _OverLimit(Exception):
    """A file beyond ivr.menus.limits: one problem, and no more of the file is read."""

    def __init__(self, mark: yaml.Mark | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _CountingLoader(Composer, _LOADER):  # type: ignore[misc]
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
            raise _OverLimit(mark, f"more than {MAX_VALUES:,} values", _FEWER)
        if parent is not None and len(parent.value) >= MAX_ENTRIES:
            raise _OverLimit(mark, f"more than {MAX_ENTRIES:,} entries in one list or mapping",
                             _FEWER)
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _OverLimit(mark, f"more than {MAX_ALIASES:,} aliases (*name)",
                                 "write the values out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _OverLimit(mark, f"nested more than {MAX_DEPTH} deep", _FEWER)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_FEWER = "no menus or scenario file needs more: is this the right file? (docs/menus.md, Limits)"


class Marks:
    """Where each node of the data sits in the file: path -> (line, column), 1-based."""

    def __init__(self) -> None:
        self._values: dict[YamlPath, Mark] = {}
        self._keys: dict[YamlPath, Mark] = {}
        self._scalars: set[YamlPath] = set()

    def add(self, path: YamlPath, node: yaml.Node, key: yaml.Node | None = None) -> None:
        self._values[path] = _mark(node)
        if key is not None:
            self._keys[path] = _mark(key)
        if isinstance(node, yaml.ScalarNode):
            self._scalars.add(path)

    def locate(self, path: YamlPath) -> Mark:
        """The node at `path` (a scalar's value, a collection's key), or its nearest ancestor."""
        while path:
            if path in self._values:
                scalar = path not in self._keys or path in self._scalars
                return self._values[path] if scalar else self._keys[path]
            path = path[:-1]
        return self._values.get((), (1, 1))

    def locate_key(self, path: YamlPath) -> Mark:
        """The key that names `path` in its mapping (for unknown or duplicate keys)."""
        return self._keys.get(path) or self.locate(path)


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Composer:
    """One pass over the composed nodes: builds the data, records marks, finds bad keys."""

    def __init__(self, loader: Any, filename: str, text: str, lines: list[str] | None) -> None:
        self.loader = loader
        self.filename = filename
        self.text = text
        self.lines = lines  # given: warn about texts cut short by a ' #' comment
        self.marks = Marks()
        self.problems: list[Problem] = []
        self.open: set[int] = set()  # collections being walked: an alias to one is a loop
        # Aliases (*x) are walked again at each use: cap the work so a file of nested
        # aliases ("billion laughs") is one error, not a server stuck reloading it.
        self.budget = MAX_EXPANDED

    def value(self, node: yaml.Node, path: YamlPath) -> Any:
        self.budget -= 1
        if self.budget < 0:
            message = f"more than {MAX_EXPANDED:,} values once its aliases (*) are expanded"
            raise _OverLimit(None, message, "use fewer aliases")  # no one place is to blame
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                self.refuse_characters(node, path)
            return self.scalar(node)
        if id(node) in self.open:
            self.error(node, path, "an alias inside its own anchor", "remove the loop")
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            items = []
            for index, item in enumerate(node.value):
                self.marks.add(path + (index,), item)
                items.append(self.value(item, path + (index,)))
            return items
        finally:
            self.open.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value  # most values: no need for PyYAML's (slower) constructor
        if node.tag == _INT and _LEADING_ZERO.match(node.value):
            # YAML 1.1 reads 0401234567 as an octal number (67451255) and 010 as 8: keep
            # the text as written, so the message shows what the operator typed (item 11).
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            # e.g. 2026-13-01 looks like a date but is not one: keep the text for the schema.
            return node.value

    def mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                message = "merge keys (<<) are not supported"
                self.error(key_node, path, message, "write the keys out")
                continue
            key = self.key(key_node, path)
            if key in seen:
                first = seen[key].start_mark.line + 1
                message = f"duplicate key '{key}' (first on line {first})"
                self.error(key_node, path + (key,), message, "YAML would keep only the last one")
                continue
            seen[key] = key_node
            self.marks.add(path + (key,), value_node, key_node)
            result[key] = self.value(value_node, path + (key,))
            if self.lines is not None and isinstance(value_node, yaml.ScalarNode):
                self.cut_by_comment(value_node, path + (key,))
        return result

    def cut_by_comment(self, node: yaml.ScalarNode, path: YamlPath) -> None:
        """`en: Press # to go back.` is the text 'Press': a ' #' starts a comment (item 11).

        Only a '#' right after one space is suspect: comments are written apart from values.
        """
        if node.style not in (None, "") or node.tag != _STR or self.lines is None:
            return
        end = node.end_mark
        rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
        if not re.match(r" #(?!#)", rest):
            return
        key = path[-1]
        fix = f'{key}: "{node.value} {rest[1:].strip()}"'
        self.problems.append(Problem(
            self.filename, end.line + 1, end.column + 2, "warning", format_path(path),
            f"the text ends at ' #': YAML reads '{rest[1:].strip()}' as a comment",
            f"if the # belongs to the text, put the whole text in quotes: {fix}"))

    def refuse_characters(self, node: yaml.ScalarNode, path: YamlPath) -> None:
        """A character Twilio's XML parser or a reader of the file would trip on (item 2)."""
        refused = find_refused(node.value)
        if refused is None:
            return
        start, end = node.start_mark.index, node.end_mark.index
        line, column = _line_column(self.text, locate_in_source(self.text, start, end,
                                                                 refused.char))
        message, hint = refused.describe()
        self.problems.append(Problem(self.filename, line, column, "error", format_path(path),
                                     message, hint))

    def key(self, node: yaml.Node, path: YamlPath) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            self.refuse_characters(node, path)
            return str(node.value)
        raw = node.value if isinstance(node, yaml.ScalarNode) else "..."
        hint = f'write it in quotes: "{raw}"' if isinstance(node, yaml.ScalarNode) else None
        self.error(node, path, f"key {raw} is not text", hint)
        return str(raw)

    def error(self, node: yaml.Node, path: YamlPath, message: str, hint: str | None) -> None:
        line, column = _mark(node)
        where = format_path(path)
        self.problems.append(Problem(self.filename, line, column, "error", where, message, hint))


def parse_yaml(
    text: str, filename: str, warn_comments: bool = False
) -> tuple[Any, Marks, list[Problem]]:
    """Parse one YAML document into plain data and marks; syntax errors become problems.

    `warn_comments`: warn about texts a ' #' comment cuts short (menus.yaml's texts).
    """
    try:
        loader = _CountingLoader(text)
    except UnicodeEncodeError as error:  # libyaml reads UTF-8: a lone surrogate cannot be
        return None, Marks(), [_character_problem(text, error.start, filename)]
    try:
        root = loader.get_single_node()
        if root is None:
            return None, Marks(), []
        composer = _Composer(loader, filename, text,
                             text.splitlines() if warn_comments else None)
        composer.marks.add((), root)
        data = composer.value(root, ())
    except yaml.MarkedYAMLError as error:
        return None, Marks(), [_syntax_problem(error, filename, text)]
    except _OverLimit as over:
        line, column = (over.mark.line + 1, over.mark.column + 1) if over.mark else (1, 1)
        return None, Marks(), [Problem(filename, line, column, "error", "", over.message,
                                       over.hint)]
    except yaml.reader.ReaderError as error:
        return None, Marks(), [_character_problem(text, _char_index(text, error), filename)]
    except yaml.YAMLError as error:
        return None, Marks(), [Problem(filename, 1, 1, "error", "", f"not YAML: {error}")]
    finally:
        loader.dispose()
    return data, composer.marks, composer.problems


def _character_problem(text: str, index: int, filename: str) -> Problem:
    index = min(index, len(text) - 1)
    refused = find_refused(text[index]) or Refused(index, text[index])
    message, hint = refused.describe()
    line, column = _line_column(text, index)
    return Problem(filename, line, column, "error", "", message, hint)


def _char_index(text: str, error: yaml.reader.ReaderError) -> int:
    """libyaml gives the byte offset in UTF-8, PyYAML the character: the character's."""
    if error.encoding != "?" and 0 <= error.position < len(text):
        return int(error.position)
    return len(text.encode("utf-8")[:error.position].decode("utf-8", "ignore"))


def _line_column(text: str, index: int) -> Mark:
    """1-based, as an editor shows them (a line ends at "\\n" only)."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _syntax_problem(error: yaml.MarkedYAMLError, filename: str, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    hint = None
    if error.context and error.context_mark:
        hint = f"{error.context} on line {error.context_mark.line + 1}"
    elif error.context:
        hint = error.context
    message = error.problem or "YAML syntax error"
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if "tab" in message or "\t" in source[: column]:
        hint = f"{hint}; indent with spaces, not tabs" if hint else "indent with spaces, not tabs"
        return Problem(filename, line, column, "error", "", message, hint)
    slip = explain(error, text)  # the other common slips, said plainly with the fix
    if slip is not None:
        return Problem(filename, slip.line, slip.column, "error", "", slip.message, slip.hint)
    return Problem(filename, line, column, "error", "", message, hint)
