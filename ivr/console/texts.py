"""Every text of menus.yaml in every language, side by side, with its review status.

Review status (docs/translations.md): in an original language (no translated_from) a text
is a source; in a translated language a plain string is unreviewed, and a mapping
{text, reviewed: <hash>} is reviewed while the hash matches its source text, unreviewed
again ("source changed") once the source text is edited.

A text that validate does not ask of a language is "not needed" there, never "missing"
(issue 23 item 9): the texts said only in the languages that have them
(model.PARTIAL_TEXTS: language_other; whisper_no_language, which validate asks only of
call.agent_language). "missing" stays for what a language lacks before callers can choose
it (Menus.complete), recorded-only languages included.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass

from ivr.core import bidi
from ivr.core.model import PARTIAL_TEXTS
from ivr.core.model import Menus
from ivr.menus.langkinds import source_hash

STATUSES = ("source", "reviewed", "unreviewed", "source changed", "missing", "not needed")


@dataclass(frozen=True)
class Cell:
    text: str | None
    status: str
    dir: str = bidi.LTR
    """The language's direction, "rtl" or "ltr" (ivr.core.bidi)."""

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The text in pieces, each with whether it stays left to right (ivr.core.bidi)."""
        return bidi.ltr_parts(self.text or "")


@dataclass(frozen=True)
class Row:
    path: str
    """Where the text is in menus.yaml, e.g. menus.main.say."""
    cells: dict[str, Cell]


def _entries(menus: Menus) -> Iterator[tuple[str, Mapping[str, str]]]:
    for text_id, texts in menus.texts.items():
        yield f"texts.{text_id}", texts
    for need, texts in menus.needs.items():
        yield f"needs.{need}", texts
    for region in menus.regions.values():
        yield f"regions.{region.id}.name", region.name
    for menu in menus.menus.values():
        if menu.say:
            yield f"menus.{menu.id}.say", menu.say
        for index, option in enumerate(menu.options):
            if option.label:
                yield f"menus.{menu.id}.options[{index}].label", option.label
    for service in menus.services:
        yield f"services.{service.id}.name", service.name
        yield f"services.{service.id}.offers", service.offers


def review_status(value: str | None, source_text: str | None, translated: bool) -> Cell:
    """One text in one language and what is known of its review."""
    if value is None:
        return Cell(None, "missing")
    if not translated:
        return Cell(value, "source")
    mark = getattr(value, "reviewed", None)  # a ReviewedText (ivr.menus.langkinds)
    if not mark:
        return Cell(value, "unreviewed")
    if source_text is None or mark != source_hash(source_text):
        return Cell(value, "source changed")
    return Cell(value, "reviewed")


def needed(menus: Menus, path: str, lang: str) -> bool:
    """Whether validate asks for the text at `path` in `lang` (textchecks, languagechecks)."""
    text_id = path.removeprefix("texts.")
    if text_id == "whisper_no_language":
        return lang == menus.call.agent_language
    return text_id not in PARTIAL_TEXTS


def text_rows(menus: Menus) -> list[Row]:
    """A row per text of menus.yaml, a cell per language, in the file's order."""
    rows = []
    directions = {code: bidi.direction(code, language.name)
                  for code, language in menus.languages.items()}
    for path, texts in _entries(menus):
        cells = {}
        for code, language in menus.languages.items():
            source = language.translated_from
            source_text = texts.get(source) if source else None
            cell = review_status(texts.get(code), source_text, source is not None)
            if cell.status == "missing" and not needed(menus, path, code):
                cell = Cell(None, "not needed")
            cells[code] = Cell(cell.text, cell.status, directions[code])
        rows.append(Row(path, cells))
    return rows


def status_counts(rows: list[Row], lang: str) -> dict[str, int]:
    """How many texts of a language have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.cells[lang].status] += 1
    return {status: count for status, count in counts.items() if count}
