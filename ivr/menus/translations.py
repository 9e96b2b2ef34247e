"""One language's texts as a gettext PO file, and a translated PO file back into menus.yaml.

For translators who do not read YAML (issue 10, item 4): Poedit and Weblate open the export.
msgctxt is the YAML path of the text, msgid the source text (the language it is translated
from), msgstr the translation; `fuzzy` marks one no fluent speaker has reviewed, and the
texts in the other original languages ride along as comments. Import edits only those
scalars of menus.yaml, found by PyYAML's node marks, so comments and layout stay; a
non-fuzzy entry becomes `{text: ..., reviewed: <hash of the source text>}`.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import polib
import yaml

from ivr.menus.characters import find_refused
from ivr.menus.copychecks import MIN_WORDS
from ivr.menus.copychecks import word_count
from ivr.menus.kinds import Texts
from ivr.menus.langkinds import ReviewedText
from ivr.menus.langkinds import source_hash
from ivr.menus.loader import check_menus_text
from ivr.menus.poheader import export_header
from ivr.menus.poheader import header_line
from ivr.menus.poheader import known_language
from ivr.menus.poheader import named_language
from ivr.menus.problems import YamlPath
from ivr.menus.problems import format_path
from ivr.menus.schema import MENUS
from ivr.menus.schema import check_shape
from ivr.menus.schema import walk
from ivr.menus.yamlsource import parse_yaml


class TranslationError(Exception):
    """A PO file or a menus file that cannot be used; one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Change:
    """One text to write: where, the new text, and whether a fluent speaker reviewed it."""

    path: YamlPath
    text: str
    reviewed: str | None
    line: int


def _clean(text: str, filename: str) -> dict[str, Any]:
    menus, problems = check_menus_text(text, filename)
    if menus is None:
        raise TranslationError([p.format() for p in problems if p.severity == "error"])
    data, _, _ = parse_yaml(text, filename)
    clean, _ = check_shape(MENUS, data)
    return dict(clean)


def _texts(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """YAML path ('texts.no_input') -> the texts of every language there."""
    return {format_path(p): t for p, kind, t in walk(MENUS, data) if isinstance(kind, Texts)}


def source_of(data: dict[str, Any], lang: str, filename: str) -> str:
    """The language `lang` is translated from (an original language cannot be imported)."""
    language = (data.get("languages") or {}).get(lang)
    if language is None:
        known = ", ".join(data.get("languages") or {})
        raise TranslationError([f"{filename}: no language '{lang}' (languages are: {known})"])
    source = language.get("translated_from")
    if not source:
        raise TranslationError([f"{filename}: languages.{lang} is written from the seeds, not "
                                "translated (add translated_from: to translate it)"])
    return str(source)


def export_po(text: str, lang: str, filename: str = "menus.yaml",
              now: datetime.datetime | None = None) -> str:
    """The PO file of one language's texts (every text its source language has; one not
    written yet in `lang` is an untranslated entry)."""
    data = _clean(text, filename)
    source = source_of(data, lang, filename)
    _, marks, _ = parse_yaml(text, filename)
    po = polib.POFile(wrapwidth=0)
    name = str(data["languages"][lang].get("name", lang))
    po.metadata = export_header(lang, source, name, now or datetime.datetime.now(datetime.UTC))
    others = [c for c, d in data["languages"].items() if c not in (lang, source)
              and not (d or {}).get("translated_from")]
    for path, texts in _texts(data).items():
        if source not in texts:
            continue
        current = texts.get(lang)
        reviewed = isinstance(current, ReviewedText) and current.reviewed == source_hash(
            texts[source])
        line, _ = marks.locate(tuple(_split(path)))
        po.append(polib.POEntry(
            msgctxt=path, msgid=texts[source], msgstr=str(current or ""),
            # Weblate and Poedit then check that a translation keeps every {placeholder}.
            flags=([] if reviewed or not current else ["fuzzy"])
            + (["python-brace-format"] if "{" in texts[source] else []),
            comment="\n".join(f"{c}: {texts[c]}" for c in others if c in texts),
            occurrences=[(filename, str(line))],
        ))
    return str(po) + "\n"


_PATH_PART = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(\d+)\]")


def _split(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(path):
        parts.append(int(index) if index else name)
    return parts


class _PoText(str):
    """PO text whose lines end only at a newline, as in the file.

    polib reads a PO text given as a string with str.splitlines, which also ends a line at
    U+0085, U+2028, U+2029 and U+001C-U+001E: a translation holding one lost everything
    before it (issue 22 item 11). PO has no escape for them; they stand in the file as is.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        return [line + "\n" for line in lines[:-1]] + lines[-1:] if keepends else lines


def read_po(po_text: str, po_name: str) -> polib.POFile:
    """The PO file, or a line-numbered error."""
    try:
        return polib.pofile(_PoText(po_text), wrapwidth=0)
    except (OSError, ValueError) as error:
        found = re.search(r"\(line (\d+)\)", str(error))
        where = f"{po_name}:{found.group(1)}" if found else po_name
        raise TranslationError([f"{where}: not a PO file: {str(error).split(' (line')[0]}"]) \
            from None


def import_language(po: polib.POFile, po_text: str, languages: dict[str, Any], po_name: str,
                    meant: str | None = None) -> str:
    """The language a PO file is imported into: the one its header names, which must be
    the one meant (`meant`, else the one the file's name gives); one line if not."""
    header = po.metadata.get("Language", "").strip()
    where = f"{po_name}:{header_line(po_text)}"
    if not header:
        raise TranslationError([f"{where}: no Language in the header (export again)"])
    said = known_language(header, languages) or header
    named = meant or named_language(po_name, languages)
    if named is not None and said != named:
        given = "you asked for" if meant else "the file is named for"
        fix = (f"import it with --lang {said}" if meant else f"name the file {said}.po")
        raise TranslationError([f"{where}: the header says Language: {header}, {given} "
                                f"{named} (if its texts are {named}, write Language: {named} "
                                f"in the header; if they are {said}, {fix})"])
    return said


def plan_import(text: str, po_text: str, filename: str, po_name: str,
                meant: str | None = None) -> tuple[str, list[Change]]:
    """The language and the changes a PO file makes; every problem at once, with lines."""
    po = read_po(po_text, po_name)
    data = _clean(text, filename)
    lang = import_language(po, po_text, data["languages"], po_name, meant)
    source = source_of(data, lang, filename)
    texts, changes, errors = _texts(data), [], []
    _refuse_another_languages_texts(po, texts, lang, filename, po_name)
    for entry in po:
        where = f"{po_name}:{entry.linenum}"
        if entry.obsolete or not entry.msgstr.strip():
            continue
        refused = find_refused(entry.msgstr)
        if refused is not None:  # issue 22 item 2: it would reach TwiML, or change on the way
            what, fix = refused.describe()
            errors.append(f"{where}: the translation of '{entry.msgctxt}' holds {what} at "
                          f"character {refused.at + 1} ({fix})")
        elif entry.msgctxt not in texts:
            errors.append(f"{where}: no text at '{entry.msgctxt}' in {filename} (export again)")
        elif texts[entry.msgctxt].get(source) != entry.msgid:
            errors.append(f"{where}: the {source} text of '{entry.msgctxt}' changed since the "
                          "export (export again and translate the new text)")
        else:
            reviewed = None if entry.fuzzy else source_hash(entry.msgid)
            old = texts[entry.msgctxt].get(lang)
            same = old == entry.msgstr and getattr(old, "reviewed", None) == reviewed
            if not same:
                changes.append(Change(tuple(_split(entry.msgctxt)) + (lang,), entry.msgstr,
                                      reviewed, entry.linenum or 0))
    if errors:
        raise TranslationError(errors)
    return lang, changes


# What a YAML double-quoted scalar cannot hold as it is: line breaks (YAML folds U+0085,
# U+2028 and U+2029 like a newline, into a space) and characters YAML does not print (C0
# and C1 controls, surrogates, U+FFFE/FFFF; JSON escapes C0 already). Written \uXXXX, an
# escape YAML and JSON share, so the imported text is the translator's to the character.
_YAML_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """The text as a YAML double-quoted scalar that reads back as exactly this text."""
    quoted = json.dumps(text, ensure_ascii=False)  # JSON strings are YAML strings
    return _YAML_ESCAPE.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


def _refuse_another_languages_texts(po: polib.POFile, texts: dict[str, dict[str, str]],
                                    lang: str, filename: str, po_name: str) -> None:
    """Most translations word for word another language's texts: that language's file, or
    the source copied over (short texts and names may rightly be the same)."""
    long = [e for e in po if not e.obsolete and e.msgctxt in texts
            and word_count(e.msgstr) >= MIN_WORDS]
    same = Counter(other for e in long for other, written in texts[e.msgctxt].items()
                   if other != lang and str(written) == e.msgstr)
    if not same:
        return
    other, count = same.most_common(1)[0]
    if count >= MIN_WORDS and 2 * count > len(long):
        raise TranslationError([f"{po_name}: {count} of {len(long)} translations are word for "
                                f"word the {other} texts of {filename}; nothing was changed (if "
                                f"it is the {other} file, its header must say Language: "
                                f"{other}; else translate it into {lang})"])


def _scalar(change: Change) -> str:
    quoted = _quoted(change.text)
    if change.reviewed is None:
        return quoted
    return f'{{text: {quoted}, reviewed: "{change.reviewed}"}}'


def _node(root: yaml.Node, path: YamlPath) -> tuple[yaml.Node | None, yaml.Node]:
    """The value node at `path` (None if its last key is missing) and its parent node."""
    node: yaml.Node = root
    for part in path[:-1]:
        if isinstance(node, yaml.SequenceNode):
            node = node.value[int(part)]
        else:
            node = next(v for k, v in node.value if k.value == part)
    last = path[-1]
    found = [v for k, v in node.value if k.value == last] if isinstance(
        node, yaml.MappingNode) else []
    return (found[0] if found else None), node


def _edit(text: str, root: yaml.Node, change: Change) -> tuple[int, int, str]:
    """(start, end, replacement) for one change in the file's text."""
    value, parent = _node(root, change.path)
    if value is not None:
        start, end = value.start_mark.index, value.end_mark.index
        tail = "\n" if text[start:end].endswith("\n") else ""
        return start, end, _scalar(change) + tail
    lang = str(change.path[-1])
    if getattr(parent, "flow_style", False):  # {fi: ..., sv: ...}: before the closing brace
        end = parent.end_mark.index - 1
        return end, end, f", {lang}: {_scalar(change)}"
    first_key = parent.value[0][0]
    indent = " " * first_key.start_mark.column
    end = parent.value[-1][1].end_mark.index
    line_end = text.find("\n", end - 1) if not text[end - 1] == "\n" else end - 1
    at = (len(text) if line_end == -1 else line_end + 1)
    return at, at, f"{indent}{lang}: {_scalar(change)}\n"


def apply_changes(text: str, changes: list[Change], filename: str) -> str:
    """The menus text with each change made in place; validated, or TranslationError."""
    root = yaml.compose(text)
    assert root is not None  # the text was validated before
    edits = sorted((_edit(text, root, change) for change in changes), reverse=True)
    for start, end, replacement in edits:
        text = text[:start] + replacement + text[end:]
    menus, problems = check_menus_text(text, filename, datetime.date.today())
    if menus is None:
        errors = [p.format() for p in problems if p.severity == "error"]
        raise TranslationError(["the imported texts would make the menus invalid:", *errors])
    return text
