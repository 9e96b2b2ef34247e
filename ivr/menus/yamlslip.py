"""What the rules for YAML slips share: the slip they find, the error they read, and how they
read a line (its indentation, its key, its value without a comment).

ivr/menus/yamlhints.py holds the rules for quotes, colons, brackets and first characters,
ivr/menus/yamlindent.py those for indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_AT_START = re.compile(r"^\s*(?:-\s+)?([^\s:#{}\[\],\"'][^:#{}\[\],]*?):(?:\s|$)")


@dataclass(frozen=True)
class Slip:
    """A recognised slip: where to look (1-based), what is wrong, how to fix it."""

    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True)
class YamlError:
    """A YAML syntax error with the lines of the text it was found in."""

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


def indent(line: str) -> int:
    """The spaces before the line's first character."""
    return len(line) - len(line.lstrip(" "))


def key(line: str) -> str:
    """The key the line starts with (after '- '), else its first characters."""
    match = KEY_AT_START.match(line)
    return match.group(1).strip() if match else line.strip()[:20]


def uncommented(value: str) -> str:
    """The value without a comment set apart from it by two or more spaces."""
    return re.sub(r"\s{2,}#.*$", "", value).strip()


def previous(e: YamlError, line: int) -> int | None:
    """The nearest line above that is neither blank nor a comment."""
    for index in range(line - 1, -1, -1):
        stripped = e.text(index).strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def spaces(count: int) -> str:
    """'no spaces', '1 space', '4 spaces'."""
    return "no spaces" if count == 0 else f"{count} space{'s' if count > 1 else ''}"
