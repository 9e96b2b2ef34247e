"""Every text of menus.yaml in every language, side by side, with its review status.

Review status (issue 12, with the translation-review work landing separately): in the
source language (call.default_language) a text is the source; in a translated language a
plain string is unreviewed and a mapping {text, reviewed: <hash>} is reviewed. Until the
loaded menus carry that distinction, a translated text's status is "unknown".
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass

from ivr.core.model import Menus

STATUSES = ("source", "reviewed", "unreviewed", "unknown", "missing")


@dataclass(frozen=True)
class Cell:
    text: str | None
    status: str


@dataclass(frozen=True)
class Row:
    path: str
    """Where the text is in menus.yaml, e.g. menus.main.say."""
    cells: dict[str, Cell]


def _entries(menus: Menus) -> Iterator[tuple[str, Mapping[str, object]]]:
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


def review_status(value: object, lang: str, source: str) -> Cell:
    """One text in one language and what is known of its review."""
    if value is None:
        return Cell(None, "missing")
    if isinstance(value, Mapping):
        reviewed = value.get("reviewed")
        return Cell(str(value.get("text", "")), "reviewed" if reviewed else "unreviewed")
    return Cell(str(value), "source" if lang == source else "unknown")


def text_rows(menus: Menus) -> list[Row]:
    """A row per text of menus.yaml, a cell per language, in the file's order."""
    source = menus.call.default_language
    return [
        Row(path, {lang: review_status(texts.get(lang), lang, source) for lang in menus.languages})
        for path, texts in _entries(menus)
    ]


def status_counts(rows: list[Row], lang: str) -> dict[str, int]:
    """How many texts of a language have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.cells[lang].status] += 1
    return {status: count for status, count in counts.items() if count}
