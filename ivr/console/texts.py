"""Every text of menus.yaml in every language, side by side, with its review status.

Review status (docs/translations.md): in an original language (no translated_from) a text
is a source; in a translated language a plain string is unreviewed, and a mapping
{text, reviewed: <hash>} is reviewed while the hash matches its source text, unreviewed
again ("source changed") once the source text is edited.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass

from ivr.core.model import Menus
from ivr.menus.langkinds import source_hash

STATUSES = ("source", "reviewed", "unreviewed", "source changed", "missing")


@dataclass(frozen=True)
class Cell:
    text: str | None
    status: str


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


def text_rows(menus: Menus) -> list[Row]:
    """A row per text of menus.yaml, a cell per language, in the file's order."""
    rows = []
    for path, texts in _entries(menus):
        cells = {}
        for code, language in menus.languages.items():
            source = language.translated_from
            source_text = texts.get(source) if source else None
            cells[code] = review_status(texts.get(code), source_text,
                                        source is not None)
        rows.append(Row(path, cells))
    return rows


def status_counts(rows: list[Row], lang: str) -> dict[str, int]:
    """How many texts of a language have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.cells[lang].status] += 1
    return {status: count for status, count in counts.items() if count}
