"""YAML text to plain data plus the line and column of every node (STYLE.md b.4).

Generic: menus.yaml and the QA scenario files both load through here, so a typo in either
gets a message with file, line and column.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import yaml

from ivr.menus.characters import find_refused
from ivr.menus.characters import locate_in_source
from ivr.menus.limits import MAX_EXPANDED
from ivr.menus.problems import Problem
from ivr.menus.problems import YamlPath
from ivr.menus.problems import format_path
from ivr.menus.yamlhints import explain
from ivr.menus.yamlindent import new_item_without_dash
from ivr.menus.yamlloader import CountingLoader
from ivr.menus.yamlloader import Mark
from ivr.menus.yamlloader import OverLimit
from ivr.menus.yamlloader import character_problem
from ivr.menus.yamlloader import line_column
from ivr.menus.yamlloader import reader_index

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")


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
            raise OverLimit(None, message, "use fewer aliases")  # no one place is to blame
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
        pasted = False  # a list item without its '- ': its keys are not duplicates each
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                message = "merge keys (<<) are not supported"
                self.error(key_node, path, message, "write the keys out")
                continue
            key = self.key(key_node, path)
            if key in seen and not pasted and path[-1:] and isinstance(path[-1], int) \
                    and key == node.value[0][0].value:
                pasted = True
                self.new_item_without_dash(node, key_node, value_node, path)
                continue
            if key in seen:
                if not pasted:
                    first = seen[key].start_mark.line + 1
                    message = f"duplicate key '{key}' (first on line {first})"
                    self.error(key_node, path + (key,), message,
                               "YAML would keep only the last one")
                continue
            seen[key] = key_node
            self.marks.add(path + (key,), value_node, key_node)
            result[key] = self.value(value_node, path + (key,))
            if self.lines is not None and isinstance(value_node, yaml.ScalarNode):
                self.cut_by_comment(value_node, path + (key,))
        return result

    def new_item_without_dash(self, item: yaml.MappingNode, key: yaml.Node, value: yaml.Node,
                              path: YamlPath) -> None:
        """The item's first key again: a service pasted without its '- ' (issue 23 item 7),
        one line rather than a 'duplicate key' per key."""
        written = f"{key.value}: {value.value}" if isinstance(value, yaml.ScalarNode) else \
            f"{key.value}: ..."
        line, column = _mark(key)
        slip = new_item_without_dash(written, line, column, item.start_mark.line + 1,
                                     max(item.start_mark.column - 2, 0))
        self.problems.append(Problem(self.filename, slip.line, slip.column, "error",
                                     format_path(path), slip.message, slip.hint))

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
        line, column = line_column(self.text, locate_in_source(self.text, start, end,
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

    The last few parses are kept: the same text is parsed again by validate, the server's
    start from its last-good copy, each worker and the commands (22 ms for the shipped
    file). The caller gets its own copy of the data (1 ms); the marks are only read.
    """
    data, marks, problems = _parse(text, warn_comments)
    if problems:  # they name the file: parse again under this name (a file with slips is rare)
        return _parse_once(text, filename, warn_comments)
    return copy.deepcopy(data), marks, []


@functools.lru_cache(maxsize=4)
def _parse(text: str, warn_comments: bool) -> tuple[Any, Marks, tuple[Problem, ...]]:
    # Not keyed on the file's name: copies of one text under other names (the last-good
    # copy, each test's) share it; the name is only in problems, which are not reused.
    data, marks, problems = _parse_once(text, "", warn_comments)
    return data, marks, tuple(problems)


def _parse_once(text: str, filename: str, warn_comments: bool
                ) -> tuple[Any, Marks, list[Problem]]:
    try:
        loader = CountingLoader(text)
    except UnicodeEncodeError as error:  # libyaml reads UTF-8: a lone surrogate cannot be
        return None, Marks(), [character_problem(text, error.start, filename)]
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
    except OverLimit as over:
        line, column = (over.mark.line + 1, over.mark.column + 1) if over.mark else (1, 1)
        return None, Marks(), [Problem(filename, line, column, "error", "", over.message,
                                       over.hint)]
    except yaml.reader.ReaderError as error:
        return None, Marks(), [character_problem(text, reader_index(text, error), filename)]
    except yaml.YAMLError as error:
        return None, Marks(), [Problem(filename, 1, 1, "error", "", f"not YAML: {error}")]
    finally:
        loader.dispose()
    return data, composer.marks, composer.problems


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
