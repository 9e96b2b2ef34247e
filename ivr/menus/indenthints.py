"""Unknown keys that are indentation slips, said as such with the line to line up with.

A key indented too little or too far is often still valid YAML: `en:` dedented out of its
text becomes a text id, `repeat:` written level with `keys:` becomes a key of `call`, a
menu indented into the menu above becomes a key of that menu. The schema then says
"unknown key", true but no help (issue 23 item 7). When the key fits under the key above
it (that key empty, or holding keys like it) or one level out, the finding says so and
names the line to line up with. The syntax errors indentation causes are yamlhints'.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ivr.menus.kinds import Fields
from ivr.menus.kinds import Items
from ivr.menus.kinds import Kind
from ivr.menus.kinds import Table
from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import Locator
from ivr.menus.problems import YamlPath

UNKNOWN = "unknown key '"
INDENTED_TOO_FAR = "a key of its own, indented too far"


def explain_misplaced(findings: list[Finding], data: Any, marks: Locator, schema: Kind
                      ) -> list[Finding]:
    """The findings, each unknown key that is an indentation slip explained as one."""
    unknown = {f.path for f in findings if f.message.startswith(UNKNOWN)}
    return [_explained(f, data, marks, schema, unknown) if f.path in unknown else f
            for f in findings]


def point_to_misplaced(findings: list[Finding], marks: Locator) -> list[Finding]:
    """'missing needs' or 'no text in en' where it is there, explained as misplaced."""
    moved: dict[YamlPath, YamlPath] = {}
    for finding in findings:
        if finding.message.endswith(INDENTED_TOO_FAR):  # meant one level out
            moved[finding.path[:-2] + finding.path[-1:]] = finding.path
        elif (inside := _BELONGS.match(finding.message)) is not None:  # meant one level in
            moved[finding.path[:-1] + (inside.group(2), inside.group(1))] = finding.path
    return [_found_elsewhere(f, moved, marks) for f in findings]


_BELONGS = re.compile(r"unknown key '(.+)': it belongs to '(.+)' above")
_MISSING = re.compile(r"(?:missing|no text in) '(.+)'$")
_NO_SUCH = re.compile(r"no (menu|need|region) named '(.+)'")


def _found_elsewhere(finding: Finding, moved: dict[YamlPath, YamlPath], marks: Locator
                     ) -> Finding:
    missing, reference = _MISSING.match(finding.message), _NO_SUCH.match(finding.message)
    if finding.message.endswith("got nothing"):  # `keys:` with its keys level with it
        where = next((moved[meant] for meant in moved if meant[:-1] == finding.path), None)
    elif missing is not None:
        where = moved.get(finding.path + (missing.group(1),))
    elif reference is not None:  # a goto to a menu indented into the menu above it
        where = moved.get((reference.group(1) + "s", reference.group(2)))
    else:
        return finding
    if where is None:
        return finding
    line, _ = marks.locate_key(where)
    if finding.message.endswith("got nothing"):
        return replace(finding, hint=f"its keys are on line {line} and below, indented too "
                       "little: see that line")
    return replace(finding, hint=f"it is there, on line {line}, indented wrongly: see that line")


def _explained(finding: Finding, data: Any, marks: Locator, schema: Kind,
               unknown: set[YamlPath]) -> Finding:
    path, key = finding.path[:-1], str(finding.path[-1])
    mapping = _value(data, path)
    if not isinstance(mapping, dict) or key not in mapping:
        return finding
    languages = set(data.get("languages") or {}) if isinstance(data, dict) else set()
    # A typo has its "did you mean": only a place that names the key (not one that takes
    # any id, as menus: does) makes it a slip of indentation rather than of spelling.
    named = "did you mean" in (finding.hint or "")
    names = list(mapping)
    # The key above it that could hold it: a known one, or an empty one itself misplaced
    # (`needs:` indented into texts, its own keys left where they were).
    above = [name for name in names[:names.index(key)]
             if path + (name,) not in unknown or mapping[name] is None]
    if above:
        parent, inside = above[-1], mapping[above[-1]]
        if path + (parent,) in unknown:
            if _accepts(_kind(schema, path[:-1] + (parent,)), key, languages, named):
                line, _ = marks.locate_key(path + (parent,))
                return replace(finding, message=f"unknown key '{key}': it belongs to "
                               f"'{parent}' above", hint=f"line up '{parent}' on line {line} "
                               "first; then it is in place")
        elif _accepts(_kind(schema, path + (parent,)), key, languages, named) and (
                inside is None or isinstance(inside, dict) and key not in inside):
            return _under(finding, parent, inside, marks)
    if path and _accepts(_kind(schema, path[:-1]), key, languages, named):
        line, column = marks.locate_key(path)
        return replace(finding, message=f"unknown key '{key}': {INDENTED_TOO_FAR}",
                       hint=f"line it up with '{path[-1]}' on line {line}: "
                       f"{_spaces(column - 1)} before it")
    return finding


def _under(finding: Finding, parent: str, inside: Any, marks: Locator) -> Finding:
    key, path = str(finding.path[-1]), finding.path[:-1]
    line, column = marks.locate_key(path + (parent,))
    if isinstance(inside, dict) and inside:
        first = next(iter(inside))
        line, column = marks.locate_key(path + (parent, first))
        fix = f"indent it as '{first}' on line {line}: {_spaces(column - 1)} before it"
    else:
        fix = f"indent it under '{parent}': {_spaces(column + 1)} before it"
    return replace(finding, message=f"unknown key '{key}': it belongs to '{parent}' above, "
                   "indented too little", hint=fix)


def _value(data: Any, path: YamlPath) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _kind(schema: Kind, path: YamlPath) -> Kind | None:
    kind: Kind | None = schema
    for part in path:
        if isinstance(kind, Fields):
            kind = next((k.kind for k in kind.keys if k.name == part), None)
        elif isinstance(kind, Table):
            kind = kind.value
        elif isinstance(kind, Items) and isinstance(part, int):
            kind = kind.item
        else:
            return None
    return kind


def _accepts(kind: Kind | None, key: str, languages: set[str], named: bool) -> bool:
    """Whether `key` has a place in `kind`: by its name, or (unless `named`) as any id."""
    if isinstance(kind, Texts):
        return key in languages
    if isinstance(kind, Fields):
        return any(k.name == key for k in kind.keys)
    return isinstance(kind, Table) and not named


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else f"{count} space{'s' if count > 1 else ''}"
