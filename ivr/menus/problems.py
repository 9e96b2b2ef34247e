"""A problem in a YAML file, said the way editors and operators read it.

`file:line:col: severity: path: message (hint)`, the GCC form editors can jump to
(STYLE.md b.4, b.8).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

YamlPath = tuple[str | int, ...]
"""Where a value sits in a YAML document: ('menus', 'main', 'options', 2, 'goto')."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a line and column (1-based; 0: the whole file, as
    when it cannot be read)."""

    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    path: str  # e.g. "menus.main.options[2].goto"
    message: str
    hint: str | None = None

    def format(self) -> str:
        """`file:line:col: severity: path: message (hint)`."""
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        place = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{place}: {self.severity}: {where}{self.message}{hint}"


@dataclass(frozen=True)
class Finding:
    """A problem before it has a place in a file: schema and checks yield these."""

    path: YamlPath
    message: str
    hint: str | None = None
    severity: str = "error"
    at_key: bool = False
    """Point at the key that names `path` rather than at its value (unknown keys)."""


class Locator(Protocol):
    def locate(self, path: YamlPath) -> tuple[int, int]: ...

    def locate_key(self, path: YamlPath) -> tuple[int, int]: ...


def format_path(path: YamlPath) -> str:
    """('menus', 'main', 'options', 2) -> 'menus.main.options[2]'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if part and all(c.isalnum() or c in "_-" for c in part) else repr(part)
            text += f".{name}" if text else name
    return text


def place(findings: Iterable[Finding], marks: Locator, file: str) -> list[Problem]:
    """Give each finding the line and column of its path in the file."""
    problems = []
    for f in findings:
        line, column = marks.locate_key(f.path) if f.at_key else marks.locate(f.path)
        where = format_path(f.path)
        problems.append(Problem(file, line, column, f.severity, where, f.message, f.hint))
    return problems


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By line, then column; problems at one place keep the order they were found in."""
    return sorted(problems, key=lambda p: (p.line, p.column))


def errors_first(problems: Iterable[Problem]) -> list[Problem]:
    """What stopped a file first, then its warnings; each by line (a server's refused edit)."""
    return sorted(sort_problems(problems), key=lambda p: p.severity != "error")


def count(problems: Sequence[Problem], severity: str) -> int:
    return sum(1 for p in problems if p.severity == severity)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(problems: Sequence[Problem], file: str) -> str:
    """'2 errors, 1 warning in menus.yaml'."""
    counts = ((count(problems, "error"), "error"), (count(problems, "warning"), "warning"))
    parts = [plural(n, word) for n, word in counts if n]
    return f"{', '.join(parts) or 'no problems'} in {file}"


def format_report(problems: Sequence[Problem], file: str) -> str:
    """One line per problem, sorted by line and column, then a summary line."""
    lines = [p.format() for p in sort_problems(problems)]
    return "\n".join(lines + [summary(problems, file)])


def to_json(problems: Iterable[Problem]) -> list[dict[str, object]]:
    """Problems as plain dicts: file, line, column, severity, path, message, hint."""
    return [
        {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "severity": p.severity,
            "path": p.path,
            "message": p.message,
            "hint": p.hint,
        }
        for p in sort_problems(problems)
    ]


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice ("did you mean 'main'?") or None, as click does."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
